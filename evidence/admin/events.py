"""The admin of events, their citations, and a matter's actors and issues."""

from django.contrib import admin

from evidence.admin.base import DeletedFilter, MatterScopedAdmin, SoftDeleteAdminMixin
from evidence.admin.imports import EventImportAdminMixin
from evidence.forms.admin import EventAdminForm
from evidence.models import EVENT_HISTORY, Actor, Citation, Event, Issue
from evidence.services.events import event_delete, event_restore


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "pinpoint", "note"]


@admin.register(Event)
class EventAdmin(EventImportAdminMixin, SoftDeleteAdminMixin, MatterScopedAdmin):
    form = EventAdminForm
    delete_service = staticmethod(event_delete)
    restore_service = staticmethod(event_restore)
    actions = ["soft_delete", "restore"]
    list_display = ["date_display", "title", "kind", "status", "is_key", "is_privileged", "matter", "is_deleted"]
    list_display_links = ["title"]
    list_filter = ["matter", "kind", "status", "is_key", "is_privileged", DeletedFilter]
    search_fields = ["title", "description", "source_note", "external_id"]
    autocomplete_fields = ["actors", "issues"]
    ordering = ["matter", "date_sort", "order", "id"]
    inlines = [CitationInline]
    list_select_related = ["matter"]

    @admin.display(description="Date", ordering="date_sort")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, obj):
        return obj.is_deleted

    def save_model(self, request, obj, form, change):
        # One history row per save, written once the actors and issues are set (see save_related).
        obj.skip_history_when_saving = True
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        del obj.skip_history_when_saving
        EVENT_HISTORY.create_historical_record(obj, "~" if change else "+")


@admin.register(Citation)
class CitationAdmin(MatterScopedAdmin):
    matter_path = "event__matter"
    list_display = ["event", "document", "pinpoint", "note"]
    list_filter = ["event__matter"]
    search_fields = ["pinpoint", "note", "event__title", "document__title"]
    autocomplete_fields = ["event", "document"]
    list_select_related = ["event", "document", "document__matter"]


@admin.register(Actor)
class ActorAdmin(MatterScopedAdmin):
    list_display = ["name", "kind", "matter"]
    list_filter = ["matter", "kind"]
    search_fields = ["name"]


@admin.register(Issue)
class IssueAdmin(MatterScopedAdmin):
    list_display = ["name", "matter"]
    list_filter = ["matter"]
    search_fields = ["name"]
