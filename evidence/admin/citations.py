"""The admin of citations on their own: adding one, replacing one (a citation is never edited in place), deleting one;
each through the citation services."""

from django.contrib import admin

from evidence import pinpoints
from evidence.admin.base import MatterFilter, MatterScopedAdmin
from evidence.forms.admin import CitationAdminForm
from evidence.models import Citation, Role
from evidence.services.citations import citation_create, citation_delete, citation_replace

FIELDS = ["event", "document", "pinpoint", "note"]


@admin.register(Citation)
class CitationAdmin(MatterScopedAdmin):
    form = CitationAdminForm
    matter_path = "event__matter"
    delete_role = Role.EDITOR
    actions = ["delete_citations"]
    list_display = ["event", "document", "pinpoint", "note"]
    list_filter = [MatterFilter]
    search_fields = ["pinpoint", "note", "event__title", "document__title"]
    autocomplete_fields = ["event", "document"]
    list_select_related = ["event", "document", "document__matter"]
    history_fields = FIELDS

    def write(self, request, form, formsets, change):
        values = form.values(FIELDS)
        # The citation as stored (the form has already put the new values on its instance) was warned about before.
        already = Citation.objects.filter(pk=form.instance.pk).values_list("document_id", "pinpoint")
        form.check_pages(pinpoints.page_warnings([(values["document"], values["pinpoint"])], already=already))
        if change:
            return citation_replace(citation=form.instance, user=request.user, reason=self.reason(form), **values)
        return citation_create(user=request.user, reason=self.reason(form), **values)

    def delete_model(self, request, obj):
        citation_delete(citation=obj, user=request.user, reason="deleted in admin")

    @admin.action(description="Delete selected citations (kept in history)", permissions=["delete"])
    def delete_citations(self, request, queryset):
        self.run_action(
            request,
            queryset,
            verb="deleted",
            permitted=self.has_delete_permission,
            call=lambda obj, reason: citation_delete(citation=obj, user=request.user, reason=reason),
        )
