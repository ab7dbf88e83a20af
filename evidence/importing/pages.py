"""Pinpoints past an exhibit's last page in an import (evidence.pinpoints): warnings listed with their rows in the
preview and printed by import_events. A warning never blocks the import, unlike a RowError."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence import pinpoints
from evidence.importing.matching import UNCHANGED
from evidence.models import Citation, Document

if TYPE_CHECKING:
    from evidence.importing.plan import Plan


@dataclass
class RowWarning:
    row: int
    reason: str


def page_warnings(plan: Plan) -> list[RowWarning]:
    """One warning per planned row's citation whose pinpoint is past the last page of its exhibit, in row order. What
    the import does not write is not warned about: an unchanged row, and a citation the row's event has already (it
    was entered, and warned about, before). Two queries at most, whatever the number of rows."""
    known = Document.objects.filter(matter=plan.matter, page_count__isnull=False)
    counts = dict(known.values_list("exhibit_number", "page_count"))
    if not counts:
        return []
    prefix = plan.matter.exhibit_prefix
    found = []  # (row, existing event id, exhibit number, pinpoint, warning)
    for planned in plan.rows:
        if planned.action == UNCHANGED:
            continue
        for number, pinpoint in planned.citations:
            if warning := pinpoints.page_warning(f"{prefix}{number}", counts.get(number), pinpoint):
                found.append((planned.row, planned.existing_id, number, pinpoint, warning))
    cited = set()
    if any(existing_id for _, existing_id, *_ in found):
        cited = set(
            Citation.objects.filter(event__matter=plan.matter, document__page_count__isnull=False).values_list(
                "event_id", "document__exhibit_number", "pinpoint"
            )
        )
    return [
        RowWarning(row, warning)
        for row, existing_id, number, pinpoint, warning in found
        if (existing_id, number, pinpoint) not in cited
    ]
