"""How the admin writes: never by saving a model itself, always through the services the pages call, with the
user and the reason of the form (or of the action bar), so the history cannot tell an admin write from a page's.

A service may refuse after the form was valid (a stale version, a rule only it can check under its locks). The
admin's transaction then rolls back and the form is shown again, with the user's input and the refusal as an error.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ImproperlyConfigured, ValidationError

from evidence.forms.admin import ReasonActionForm


def _become(obj, saved):
    """Make the admin's unsaved object the row a service saved, so the admin's redirect and log find it."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


class ServiceWritesMixin:
    action_form = ReasonActionForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "evidence_admin_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            if request.method != "POST" or hasattr(request, "evidence_admin_refusal"):
                raise
            request.evidence_admin_refusal = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related writes the record and its inlines in one call of the services."""

    def save_related(self, request, form, formsets, change):
        saved = self.write(request, form, formsets, change)
        if saved is not None and saved is not form.instance:
            _become(form.instance, saved)
        for formset in formsets:
            # Read by the admin's change message; the services wrote these rows, not formset.save().
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def write(self, request, form, formsets, change):
        """Call the services for this save; return the saved record."""
        raise ImproperlyConfigured(f"{type(self).__name__} does not say how it writes.")

    def save_formset(self, request, form, formset, change):
        raise ImproperlyConfigured(f"{type(self).__name__} does not say how {formset.model.__name__} rows are written.")

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # it deletes rows without a service; see the admins' own actions
        return actions

    def run_action(self, request, queryset, *, verb: str, permitted, call) -> None:
        """Apply a service to each selected row the user may change, with the reason typed in the action bar;
        report what was done, what the role does not allow, and what the service refused."""
        reason = ReasonActionForm.reason_from(request.POST, default=f"{verb} in admin")
        done, not_allowed, refused = 0, 0, []
        for obj in queryset:
            if not permitted(request, obj):
                not_allowed += 1
                continue
            try:
                call(obj, reason)
            except ValidationError as error:
                refused.append(f"{obj}: {' '.join(error.messages)}")
            else:
                done += 1
        names = self.model._meta.verbose_name_plural
        self.message_user(request, f"{done} {names} {verb}.", messages.SUCCESS if done else messages.WARNING)
        if not_allowed:
            self.message_user(request, f"{not_allowed} left as they were: your role does not allow it.", messages.ERROR)
        for line in refused:
            self.message_user(request, line, messages.ERROR)


class SoftDeleteAdminMixin:
    """Evidence is never hard-deleted here: the delete action is replaced by soft delete and restore."""

    delete_service = None
    restore_service = None
    # The services' keyword for the record (document_delete(document=…)); None: the model's name.
    service_argument: str | None = None

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Delete selected (soft: restorable, kept in history)", permissions=["change"])
    def soft_delete(self, request, queryset):
        self._soft(request, queryset, type(self).delete_service, "deleted")

    @admin.action(description="Restore selected", permissions=["change"])
    def restore(self, request, queryset):
        self._soft(request, queryset, type(self).restore_service, "restored")

    def _soft(self, request, queryset, service, verb):
        name = self.service_argument or self.model._meta.model_name
        self.run_action(
            request,
            queryset,
            verb=verb,
            permitted=self.has_change_permission,
            call=lambda obj, reason: service(**{name: obj, "user": request.user, "reason": reason}),
        )
