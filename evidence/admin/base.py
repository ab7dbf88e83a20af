"""What every admin of a matter's records shares: scoping by matter and role (scope), writes through the services
with a reason (writes), a read-only history (history), filters that list only the user's matters (filters), and
soft delete instead of delete."""

from simple_history.admin import SimpleHistoryAdmin

from evidence.admin.filters import DeletedFilter, MatterFilter
from evidence.admin.history import ScopedHistoryMixin
from evidence.admin.scope import MatterScopedInline, MatterScopeMixin
from evidence.admin.writes import ServiceWritesMixin, SoftDeleteAdminMixin, _become

__all__ = [
    "DeletedFilter",
    "MatterFilter",
    "MatterScopeMixin",
    "MatterScopedAdmin",
    "MatterScopedInline",
    "SoftDeleteAdminMixin",
    "_become",
]


class MatterScopedAdmin(ScopedHistoryMixin, ServiceWritesMixin, MatterScopeMixin, SimpleHistoryAdmin):
    """An admin of a matter's records: scoped to the user's matters and role, written through the services."""

    def reason(self, form) -> str:
        return form.cleaned_data["reason"]
