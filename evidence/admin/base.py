"""What every admin of a matter's records shares: scoping by matter and role (scope), writes through the services
with a reason (writes), a read-only history (history), filters that list only the user's matters (filters), and
soft delete instead of delete."""

from simple_history.admin import SimpleHistoryAdmin

from evidence import text
from evidence.admin.filters import DeletedFilter, MatterFilter
from evidence.admin.history import ScopedHistoryMixin
from evidence.admin.scope import MatterScopedInline, MatterScopeMixin, matters_with_role
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


# Columns that hold names and titles people typed or imported: their bidi controls are written out (evidence.text).
SHOWN_COLUMNS = frozenset({"title", "name", "short_title", "court", "case_number", "pinpoint", "note", "bates"})


def shown_column(model, name: str):
    """The change list column of `name`, its bidi controls visible, still sortable by the field."""

    def column(obj):
        return text.shown(getattr(obj, name))

    column.short_description = model._meta.get_field(name).verbose_name
    column.admin_order_field = name
    column.__name__ = name  # the column's CSS class, as for the field itself
    return column


class MatterScopedAdmin(ScopedHistoryMixin, ServiceWritesMixin, MatterScopeMixin, SimpleHistoryAdmin):
    """An admin of a matter's records: scoped to the user's matters and role, written through the services."""

    def reason(self, form) -> str:
        return form.cleaned_data["reason"]

    def get_list_display(self, request):
        """A name or title column shows its bidi controls, as every page does; "invoice\u202eexe.pdf" never reads
        as "invoicefdp.exe" here either. (Foreign keys show the models' own names, which do the same.)"""
        fields = {f.name for f in self.model._meta.concrete_fields} & SHOWN_COLUMNS
        columns = super().get_list_display(request)
        if "matter" in columns and self._one_matter_listed(request):
            # a column repeating one matter's title takes the room of the others (a 1366 px screen has none to spare)
            columns = [c for c in columns if c != "matter"]
        return [shown_column(self.model, name) if name in fields else name for name in columns]

    def _one_matter_listed(self, request) -> bool:
        if request.GET.get(MatterFilter.parameter_name):
            return True
        return matters_with_role(request.user, self.view_role)[:2].count() < 2

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if links is None:
            return links
        by_name = {getattr(c, "__name__", c): c for c in list_display}
        return [by_name.get(link, link) for link in links]
