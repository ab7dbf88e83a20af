"""Django admin for litigation support. Staff see only their own matters; writes go through the services so that each
one records its user and reason; evidence is soft-deleted, never deleted."""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from evidence.forms import DocumentAdminForm, EventAdminForm
from evidence.models import EVENT_HISTORY, Actor, Citation, Document, Event, Issue, Job, Matter, Membership, Role
from evidence.permissions import has_role, matters_for
from evidence.services.documents import DOCUMENT_FIELDS, document_delete, document_intake, document_restore
from evidence.services.events import event_delete, event_restore
from evidence.services.matters import matter_create

ADMIN_REASON = "edited in admin"


def _become(obj, saved):
    """Make the admin's unsaved object the row a service saved, so the admin's redirect and log find it."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


class MatterScopedAdmin(SimpleHistoryAdmin):
    """Limits a staff user to the matters he is a member of: viewers may look, editors and owners may change."""

    matter_path = "matter"
    edit_role = Role.EDITOR

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.matter_path}__in": matters_for(request.user)})

    def _matter_of(self, obj):
        for part in self.matter_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and has_role(request.user, self._matter_of(obj), self.edit_role)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "matter" and not request.user.is_superuser:
            kwargs["queryset"] = Matter.objects.filter(
                memberships__user=request.user, memberships__role__in=[Role.EDITOR, Role.OWNER]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = ADMIN_REASON
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        with transaction.atomic():
            for obj in formset.deleted_objects:
                obj._history_user = request.user
                obj._change_reason = ADMIN_REASON
                obj.delete()
            for obj in instances:
                obj._history_user = request.user
                obj._change_reason = ADMIN_REASON
                obj.save()
            formset.save_m2m()


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted (restorable)")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "pinpoint", "note"]


class DocumentCitationInline(CitationInline):
    autocomplete_fields = ["event"]
    fields = ["event", "pinpoint", "note"]
    verbose_name_plural = "Cited by"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class SoftDeleteAdminMixin:
    """Evidence is never hard-deleted here: the delete action is replaced by soft delete and restore."""

    delete_service = None
    restore_service = None

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Delete selected (soft: restorable, kept in history)")
    def soft_delete(self, request, queryset):
        self._apply(request, queryset, type(self).delete_service, "deleted")

    @admin.action(description="Restore selected")
    def restore(self, request, queryset):
        self._apply(request, queryset, type(self).restore_service, "restored")

    def _apply(self, request, queryset, service, verb):
        count = 0
        for obj in queryset:
            if self.has_change_permission(request, obj):
                service(**{self.model._meta.model_name: obj, "user": request.user, "reason": f"{verb} in admin"})
                count += 1
        self.message_user(request, f"{count} {self.model._meta.verbose_name_plural} {verb}.", messages.SUCCESS)


@admin.register(Matter)
class MatterAdmin(MatterScopedAdmin):
    matter_path = "pk"
    edit_role = Role.OWNER
    list_display = ["short_title", "slug", "case_number", "court", "time_zone", "created_at"]
    search_fields = ["short_title", "slug", "case_number", "court", "parties"]
    prepopulated_fields = {"slug": ["short_title"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        qs = super(MatterScopedAdmin, self).get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk__in=matters_for(request.user))

    def _matter_of(self, obj):
        return obj

    def has_delete_permission(self, request, obj=None):
        return False  # a matter holds evidence; it is archived, not deleted

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {f: form.cleaned_data[f] for f in form.cleaned_data if f not in {"slug", "short_title"}}
        created = matter_create(
            user=request.user, slug=form.cleaned_data["slug"], short_title=form.cleaned_data["short_title"], **fields
        )
        _become(obj, created)


@admin.register(Event)
class EventAdmin(SoftDeleteAdminMixin, MatterScopedAdmin):
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

    def get_urls(self):  # "Import events" (evidence/admin_import.py)
        from evidence.admin_import import event_import_urls

        return event_import_urls(self) + super().get_urls()

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


@admin.register(Document)
class DocumentAdmin(SoftDeleteAdminMixin, MatterScopedAdmin):
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

    def get_urls(self):  # "Import documents" (evidence/admin_import.py)
        from evidence.admin_import import document_import_urls

        return document_import_urls(self) + super().get_urls()

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


@admin.register(Membership)
class MembershipAdmin(MatterScopedAdmin):
    edit_role = Role.OWNER
    list_display = ["user", "matter", "role"]
    list_filter = ["matter", "role"]
    search_fields = ["user__username", "user__email", "matter__short_title"]
    autocomplete_fields = ["user"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "matter", "user", "state", "progress", "total", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(matter__in=matters_for(request.user))

    def has_add_permission(self, request):
        return False
