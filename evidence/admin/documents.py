"""The admin of evidence documents: a new one is an upload through the intake; deletes are soft."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from evidence.admin.base import DeletedFilter, MatterScopedAdmin, SoftDeleteAdminMixin, _become
from evidence.admin.events import CitationInline
from evidence.admin.imports import DocumentImportAdminMixin
from evidence.forms.admin import DocumentAdminForm
from evidence.models import Document
from evidence.services.documents import DOCUMENT_FIELDS, document_delete, document_intake, document_restore


class DocumentCitationInline(CitationInline):
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
    list_filter = ["matter", "media_type", "is_privileged", DeletedFilter]
    search_fields = ["title", "original_filename", "sha256", "bates_start", "bates_end", "author"]
    readonly_fields = ["exhibit", "original_filename", "sha256", "size", "media_type", "created_at"]
    ordering = ["matter", "exhibit_number"]
    inlines = [DocumentCitationInline]
    list_select_related = ["matter"]

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

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        upload = form.cleaned_data["upload"]
        fields = {name: form.cleaned_data[name] for name in DOCUMENT_FIELDS if name != "title"}
        try:
            result = document_intake(
                matter=form.cleaned_data["matter"],
                user=request.user,
                file=upload,
                filename=upload.name,
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                reason="uploaded in admin",
                **fields,
            )
        except ValidationError as error:
            # Reported on the next page; nothing was stored.
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            raise
        if not result.created:
            self.message_user(
                request,
                f"This file is already {result.document.exhibit_label}; nothing was stored twice.",
                messages.WARNING,
            )
        _become(obj, result.document)
