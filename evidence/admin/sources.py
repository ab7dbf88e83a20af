"""The admin of tracked sources, their versions and audiences: written through evidence.services.sources with a
reason, scoped to the user's matters and role like every admin here; sources and versions are soft-deleted and
restored, audiences retired and brought back, never deleted."""

from django.contrib import admin

from evidence import text
from evidence.admin.base import DeletedFilter, MatterFilter, MatterScopedAdmin, SoftDeleteAdminMixin
from evidence.admin.events import names_then
from evidence.forms.sources import AudienceAdminForm, SourceVersionAdminForm, TrackedSourceAdminForm
from evidence.models import Audience, SourceVersion, TrackedSource
from evidence.services import sources as services


@admin.register(Audience)
class AudienceAdmin(MatterScopedAdmin):
    form = AudienceAdminForm
    actions = ["retire", "bring_back"]
    list_display = ["name", "matter", "is_retired"]
    list_filter = [MatterFilter]
    search_fields = ["name"]
    list_select_related = ["matter"]
    history_fields = ["matter", "name", "description", "retired_at"]

    @admin.display(boolean=True, description="Retired")
    def is_retired(self, obj):
        return obj.retired_at is not None

    def write(self, request, form, formsets, change):
        values = form.values(["name", "description"])
        if change:
            return services.audience_update(audience=form.instance, user=request.user, reason=self.reason(form),
                                            **values)  # fmt: skip
        return services.audience_create(matter=form.cleaned_data["matter"], user=request.user,
                                        reason=self.reason(form), **values)  # fmt: skip

    @admin.action(description="Retire selected (no longer offered for new versions)", permissions=["change"])
    def retire(self, request, queryset):
        self._retire(request, queryset, retired=True)

    @admin.action(description="Bring back selected", permissions=["change"])
    def bring_back(self, request, queryset):
        self._retire(request, queryset, retired=False)

    def _retire(self, request, queryset, *, retired: bool):
        self.run_action(
            request, queryset, verb="retired" if retired else "brought back", permitted=self.has_change_permission,
            call=lambda obj, reason: services.audience_retire(audience=obj, user=request.user, reason=reason,
                                                              retired=retired),
        )  # fmt: skip


@admin.register(TrackedSource)
class TrackedSourceAdmin(SoftDeleteAdminMixin, MatterScopedAdmin):
    form = TrackedSourceAdminForm
    delete_service = staticmethod(services.source_delete)
    restore_service = staticmethod(services.source_restore)
    service_argument = "source"
    actions = ["soft_delete", "restore"]
    list_display = ["name", "kind", "is_illustrative", "matter", "is_deleted"]
    list_filter = [MatterFilter, "kind", "is_illustrative", DeletedFilter]
    search_fields = ["name", "url", "description"]
    list_select_related = ["matter"]
    history_fields = ["matter", "name", "kind", "url", "description", "is_illustrative", "deleted_at"]

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, obj):
        return obj.is_deleted

    def write(self, request, form, formsets, change):
        values = form.values(list(TrackedSource.EDITABLE_FIELDS))
        if change:
            return services.source_update(source=form.instance, user=request.user, reason=self.reason(form),
                                          **values)  # fmt: skip
        return services.source_create(matter=form.cleaned_data["matter"], user=request.user,
                                      reason=self.reason(form), **values)  # fmt: skip


@admin.register(SourceVersion)
class SourceVersionAdmin(SoftDeleteAdminMixin, MatterScopedAdmin):
    form = SourceVersionAdminForm
    delete_service = staticmethod(services.version_delete)
    restore_service = staticmethod(services.version_restore)
    service_argument = "version"
    actions = ["soft_delete", "restore"]
    list_display = ["source", "exhibit", "effective", "first_seen", "capture_method", "matter", "is_deleted"]
    list_display_links = ["source", "exhibit"]
    list_filter = [MatterFilter, "capture_method", DeletedFilter]
    search_fields = ["source__name", "document__title", "document__sha256", "note"]
    list_select_related = ["matter", "source", "document__matter"]
    ordering = ["matter", "source__name", "id"]
    history_fields = [
        "matter", "source", "document", "capture_method", "captured_at", "first_seen", "effective", "audiences_then",
        "note", "deleted_at",
    ]  # fmt: skip

    @admin.display(description="Exhibit", ordering="document__exhibit_number")
    def exhibit(self, obj):
        return text.shown(obj.document.exhibit_label)

    @admin.display(description="Effective", ordering="effective_sort")
    def effective(self, obj):
        return obj.effective_display

    @admin.display(description="First seen", ordering="first_seen_sort")
    def first_seen(self, obj):
        return obj.first_seen_display

    @admin.display(description="Audiences")
    def audiences_then(self, obj):
        """The audiences of the version shown: the history's own rows, not the version's current ones."""
        return names_then(obj, "audiences", Audience) or "Everyone"

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, obj):
        return obj.is_deleted

    def write(self, request, form, formsets, change):
        values = form.version_values()
        if change:
            return services.version_update(version=form.instance, user=request.user, reason=self.reason(form),
                                           **values)  # fmt: skip
        return services.version_add(source=form.cleaned_data["source"], document=form.cleaned_data["document"],
                                    user=request.user, reason=self.reason(form), **values)  # fmt: skip
