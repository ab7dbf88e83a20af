"""What every admin of a matter's records shares: scoping to the user's matters, writes with a user and a reason,
soft delete instead of delete."""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import Role
from evidence.permissions import has_role, matters_editable_by, matters_for

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
            kwargs["queryset"] = matters_editable_by(request.user)
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
