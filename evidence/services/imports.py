"""The matter's remembered import mapping (evidence.importing.mapping): written when an import that used it is."""

from evidence.importing.mapping import Mapping
from evidence.models import ImportMapping, Matter


def import_mapping_remember(*, matter: Matter, mapping: Mapping, user) -> None:
    """Add `mapping`'s entries to the matter's remembered mapping (the newer answer wins), inside the caller's
    transaction: the import that used it and the memory of it commit together."""
    if not (mapping.columns or mapping.values):
        return
    row, _ = ImportMapping.objects.select_for_update().get_or_create(matter=matter)
    row.mapping = Mapping.from_json(row.mapping).updated(mapping).to_json()
    row.updated_by = user
    row.save()
