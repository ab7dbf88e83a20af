"""The version history that django-simple-history adds to each admin, scoped and read-only.

simple-history finds the object of a history page through the history table, not the admin's queryset, and its
version page saves the form it is posted (SIMPLE_HISTORY_REVERT_DISABLED only hides the button). Here a non-member
gets a 404 for both pages, a member without the view permission a 403, and a POST to a version changes nothing:
restoring a version is the event page's "Restore", which goes through event_revert with a reason.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from evidence.models import Role
from evidence.permissions import has_role

READ_ONLY = "The history is read-only. Restore a version from the event's page, with a reason."


class ScopedHistoryMixin:
    """For a SimpleHistoryAdmin that also has MatterScopeMixin."""

    # Shown on a version's page and on the change page of a user who may only look; None: the model's fields.
    history_fields: list[str] | None = None
    object_history_form_template = "admin/evidence/version.html"

    def _history_subject(self, request, object_id):
        """The object whose history is asked for, if the user may see it; a row deleted since is found through its
        last version."""
        obj = self.get_object(request, object_id)
        if obj is None:
            manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            try:
                record = manager.filter(**{self.model._meta.pk.attname: object_id}).order_by("-history_date").first()
            except (ValueError, TypeError):
                record = None
            obj = record.instance if record is not None else None
        matter = self.matter_of(obj) if obj is not None else None
        if matter is None or not has_role(request.user, matter, Role.VIEWER):
            raise Http404("No such record.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._history_subject(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_subject(request, object_id)
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(READ_ONLY)
        request.evidence_admin_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def _read_only(self, request, obj) -> bool:
        return getattr(request, "evidence_admin_history", False) or (
            obj is not None and not self.has_change_permission(request, obj)
        )

    def get_history_fields(self) -> list[str]:
        if self.history_fields is not None:
            return list(self.history_fields)
        return [f.name for f in self.model._meta.concrete_fields if f.editable and not f.primary_key]

    def get_fields(self, request, obj=None):
        if self._read_only(request, obj):
            return self.get_history_fields()
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._read_only(request, obj):
            return self.get_history_fields()
        return super().get_readonly_fields(request, obj)
