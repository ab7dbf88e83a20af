"""The admin of events and the citations edited with them."""

from django.contrib import admin
from simple_history.models import to_historic

from evidence import pinpoints, selectors, text
from evidence.admin.base import DeletedFilter, MatterFilter, MatterScopedAdmin, MatterScopedInline, SoftDeleteAdminMixin
from evidence.admin.imports import EventImportAdminMixin
from evidence.forms.admin import EventAdminForm
from evidence.models import Actor, Citation, Event, Issue
from evidence.services.events import event_create, event_delete, event_restore, event_update


class CitationInline(MatterScopedInline, admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "pinpoint", "note"]


def citations_in(formsets) -> list[tuple]:
    """The (document, pinpoint, note) the citation rows ask for, as event_create / event_update take them."""
    return [
        (form.cleaned_data["document"], form.cleaned_data.get("pinpoint") or "", form.cleaned_data.get("note") or "")
        for formset in formsets
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("document") and not form.cleaned_data.get("DELETE")
    ]


def names_then(obj, name: str, model) -> str:
    """The actors (issues) of the version shown: the history's own rows, not the event's current ones."""
    record = to_historic(obj)
    manager = getattr(record or obj, name)
    ids = list(manager.values_list(f"{model._meta.model_name}_id", flat=True)) if record else None
    if ids is None:
        return ", ".join(str(x) for x in manager.all())
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return ", ".join(found.get(pk, f"(removed, #{pk})") for pk in ids)


@admin.register(Event)
class EventAdmin(EventImportAdminMixin, SoftDeleteAdminMixin, MatterScopedAdmin):
    form = EventAdminForm
    delete_service = staticmethod(event_delete)
    restore_service = staticmethod(event_restore)
    actions = ["soft_delete", "restore"]
    list_display = ["date_display", "title", "kind", "status", "key", "privileged", "matter", "is_deleted"]
    list_display_links = ["title"]
    list_filter = [MatterFilter, "kind", "status", "is_key", "is_privileged", DeletedFilter]
    search_fields = ["title", "description", "source_note", "external_id"]
    autocomplete_fields = ["actors", "issues"]
    ordering = ["matter", "date_sort", "order", "id"]
    inlines = [CitationInline]
    list_select_related = ["matter"]
    object_history_form_template = "admin/evidence/event/version.html"
    history_fields = [
        "matter", "date_display", "title", "description", "kind", "status", "is_key", "is_privileged",
        "actors_then", "issues_then", "citations_then", "source_note", "external_id", "order", "version",
        "deleted_at",
    ]  # fmt: skip

    @admin.display(description="Date", ordering="date_sort")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(boolean=True, description="Key", ordering="is_key")
    def key(self, obj):
        return obj.is_key

    @admin.display(boolean=True, description="Privileged", ordering="is_privileged")
    def privileged(self, obj):
        return obj.is_privileged

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, obj):
        return obj.is_deleted

    @admin.display(description="Actors")
    def actors_then(self, obj):
        return names_then(obj, "actors", Actor)

    @admin.display(description="Issues")
    def issues_then(self, obj):
        return names_then(obj, "issues", Issue)

    @admin.display(description="Citations")
    def citations_then(self, obj):
        """What the version shown cited, as it recorded it (Event.citations_snapshot)."""
        entries = obj.citations_snapshot
        if entries is None:
            return "(this version did not record its citations)"
        lines = [
            " ".join(filter(None, (e["exhibit"], e["pinpoint"]))) + (f" [note: {e['note']}]" if e["note"] else "")
            for e in entries
        ]
        return text.shown("; ".join(lines)) or "(none)"

    def write(self, request, form, formsets, change):
        fields = {**form.service_kwargs(), "citations": citations_in(formsets)}
        # What the event cites already was entered (and warned about) before: only new pinpoints are checked.
        already = selectors.cited_pinpoints(event=form.instance if change else None)
        form.check_pages(pinpoints.page_warnings(fields["citations"], already=already))
        if change:
            return event_update(
                event=form.instance,
                user=request.user,
                reason=self.reason(form),
                expected_version=form.cleaned_data["expected_version"],
                **fields,
            )
        return event_create(matter=form.cleaned_data["matter"], user=request.user, reason=self.reason(form), **fields)
