"""The admin of evidence documents: a new one is an upload through the intake, a change goes through document_update,
the citing events are added and removed through the citation services; deletes are soft."""

from django.contrib import admin, messages

from evidence import pinpoints
from evidence.admin.base import (
    DeletedFilter,
    MatterFilter,
    MatterScopedAdmin,
    MatterScopedInline,
    SoftDeleteAdminMixin,
)
from evidence.admin.imports import DocumentImportAdminMixin
from evidence.forms.admin import DocumentAdminForm
from evidence.models import Citation, Document
from evidence.services.citations import citation_create, citation_delete, citation_replace
from evidence.services.documents import (
    DOCUMENT_FIELDS,
    document_delete,
    document_intake,
    document_restore,
    document_update,
)


class DocumentCitationInline(MatterScopedInline, admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["event"]
    fields = ["event", "pinpoint", "note"]
    verbose_name_plural = "Cited by"


@admin.register(Document)
class DocumentAdmin(DocumentImportAdminMixin, SoftDeleteAdminMixin, MatterScopedAdmin):
    form = DocumentAdminForm
    delete_service = staticmethod(document_delete)
    restore_service = staticmethod(document_restore)
    actions = ["soft_delete", "restore"]
    list_display = ["exhibit", "title", "date_display", "bates", "media_type", "size", "matter", "is_deleted"]
    list_display_links = ["exhibit", "title"]
    list_filter = [MatterFilter, "media_type", "is_privileged", DeletedFilter]
    search_fields = ["title", "original_filename", "sha256", "bates_start", "bates_end", "author"]
    readonly_fields = ["exhibit", "original_filename", "sha256", "size", "media_type", "page_count", "created_at"]
    ordering = ["matter", "exhibit_number"]
    inlines = [DocumentCitationInline]
    list_select_related = ["matter"]
    history_fields = [
        "matter", "exhibit", "title", "date_display", "author", "source_url", "captured_at", "bates",
        "is_privileged", "original_filename", "sha256", "size", "media_type", "deleted_at",
    ]  # fmt: skip

    @admin.display(description="Exhibit", ordering="exhibit_number")
    def exhibit(self, obj):
        return obj.exhibit_label if obj.pk else "(assigned on upload)"

    @admin.display(description="Date", ordering="date_sort")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(description="Bates")
    def bates(self, obj):
        return obj.bates_range

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, obj):
        return obj.is_deleted

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "upload"] if obj else fields

    def write(self, request, form, formsets, change):
        if not change:
            return self._upload(request, form)
        document = form.instance
        form.check_pages(self._page_warnings(document, formsets))
        if form.changed_fields():
            values = form.values(DOCUMENT_FIELDS)
            document = document_update(
                document=document, user=request.user, reason=self.reason(form), date=form.cleaned_data["date"], **values
            )
        for formset in formsets:
            self._write_citations(request, form, formset, document)
        return document

    def _upload(self, request, form):
        upload = form.cleaned_data["upload"]
        result = document_intake(
            matter=form.cleaned_data["matter"],
            user=request.user,
            file=upload,
            filename=upload.name,
            date=form.cleaned_data["date"],
            reason=self.reason(form),
            **form.values(DOCUMENT_FIELDS),
        )
        if not result.created:
            self.message_user(
                request,
                f"This file is already {result.document.exhibit_label}; nothing was stored twice.",
                messages.WARNING,
            )
        return result.document

    def _page_warnings(self, document, formsets) -> list[str]:
        """Pinpoints past this document's last page in the rows of the events citing it, but for those an event
        cites already (entered, and warned about, before)."""
        stored = set(Citation.objects.filter(document=document).values_list("event_id", "pinpoint"))
        entered = [
            (document, row.cleaned_data.get("pinpoint") or "")
            for formset in formsets
            for row in formset.forms
            if row.cleaned_data and row.cleaned_data.get("event") and not formset._should_delete_form(row)
            and (row.cleaned_data["event"].pk, (row.cleaned_data.get("pinpoint") or "").strip()) not in stored
        ]  # fmt: skip
        return pinpoints.page_warnings(entered)

    def _write_citations(self, request, form, formset, document):
        """Deleted rows first, so that a changed row may take the (event, pinpoint) of a row it replaces."""
        reason = self.reason(form)
        rows = [f for f in formset.forms if f.has_changed() or formset._should_delete_form(f)]
        for row in rows:
            if formset._should_delete_form(row) and row.instance.pk:
                # As stored, not as the form left it: the history records the row that is deleted.
                stored = Citation.objects.get(pk=row.instance.pk)
                citation_delete(citation=stored, user=request.user, reason=reason)
        for row in rows:
            if formset._should_delete_form(row):
                continue
            values = {name: row.cleaned_data[name] for name in ("event", "pinpoint", "note")}
            if row.instance.pk:
                citation_replace(citation=row.instance, user=request.user, reason=reason, **values)
            else:
                citation_create(document=document, user=request.user, reason=reason, **values)
