"""Who may see and do what in the admin: the model permissions of the user's groups, narrowed to the user's role in
the matter of each object (viewer: read; editor: the matter's records; owner: also its members and settings).

A staff user never sees a record of a matter he is not a member of: not in lists, forms, choices, filters,
autocomplete or history. Only superusers see every matter.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from evidence.models import Actor, Audience, Document, Event, Issue, Matter, Role, SourceVersion, TrackedSource
from evidence.permissions import has_role, matters_editable_by, matters_for

# The records of a matter offered as choices in forms: limited to the matter being edited.
MATTER_RECORDS = (Actor, Issue, Event, Document, Audience, TrackedSource, SourceVersion)


def matters_with_role(user, role: Role) -> QuerySet[Matter]:
    """The matters in which the user holds at least `role`."""
    if role == Role.VIEWER:
        return matters_for(user)
    if role == Role.EDITOR:
        return matters_editable_by(user)
    if not user.is_active:
        return Matter.objects.none()
    if user.is_superuser:
        return Matter.objects.all()
    return Matter.objects.filter(memberships__user=user, memberships__role=Role.OWNER)


def matter_at(obj, path: str) -> Matter | None:
    """The matter an object belongs to, following `path` ("matter", "event__matter"; "pk" for a matter itself).
    None if a link is broken (a history row may point at a row that is gone)."""
    if path == "pk":
        return obj
    try:
        for part in path.split("__"):
            obj = getattr(obj, part)
    except ObjectDoesNotExist:
        return None
    return obj


def _role_allows(request, matter, role: Role | None) -> bool:
    if role is None:
        return False
    if matter is None:
        return request.user.is_superuser or matters_with_role(request.user, role).exists()
    return has_role(request.user, matter, role)


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class MatterScopeMixin:
    """For a ModelAdmin of a matter's records. Roles: `view_role` to see, `edit_role` to add and change,
    `delete_role` to delete (None: never deleted here; soft delete is a change)."""

    matter_path = "matter"
    view_role: Role | None = Role.VIEWER
    edit_role: Role | None = Role.EDITOR
    delete_role: Role | None = None

    def matter_of(self, obj) -> Matter | None:
        return matter_at(obj, self.matter_path)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.matter_path}__in": matters_with_role(request.user, self.view_role)})

    def _allows(self, request, obj, role, model_allowed: bool) -> bool:
        if not model_allowed:
            return False
        if obj is None:
            return role is not None and (role == Role.VIEWER or _role_allows(request, None, role))
        matter = self.matter_of(obj)
        return matter is not None and _role_allows(request, matter, role)

    def has_view_permission(self, request, obj=None):
        return self._allows(request, obj, self.view_role, super().has_view_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._allows(request, obj, self.edit_role, super().has_change_permission(request, obj))

    def has_add_permission(self, request):
        return self._allows(request, None, self.edit_role, super().has_add_permission(request))

    def has_delete_permission(self, request, obj=None):
        return self._allows(request, obj, self.delete_role, super().has_delete_permission(request, obj))

    # Choices: the matter being edited, else the matters the user may write in.

    def get_form(self, request, obj=None, change=False, **kwargs):
        request.evidence_admin_matter = self.matter_of(obj) if obj is not None else None
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self.choices_for(request, db_field.related_model)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = self.choices_for(request, db_field.related_model)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def choices_for(self, request, model):
        return scoped_choices(request, model, add_role=self.edit_role)

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of another admin's form offers only what the user may cite or tag: records of the
        matters he may write in, not deleted ones."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _is_autocomplete(request):
            queryset = queryset.filter(**{f"{self.matter_path}__in": matters_editable_by(request.user)})
            if hasattr(self.model, "deleted_at"):
                queryset = queryset.filter(deleted_at__isnull=True)
        return queryset, may_have_duplicates


def scoped_choices(request, model, *, add_role):
    """The choices offered for a relation to `model` in a form of the matter `request.evidence_admin_matter`."""
    matter = getattr(request, "evidence_admin_matter", None)
    if model is Matter:
        return matters_with_role(request.user, add_role or Role.OWNER)
    if model in MATTER_RECORDS:
        if matter is not None:
            return model._default_manager.filter(matter=matter)
        return model._default_manager.filter(matter__in=matters_editable_by(request.user))
    return None


class MatterScopedInline:
    """For an inline of a matter's records: the parent's matter decides, with the role `edit_role` to write."""

    parent_matter_path = "matter"
    edit_role: Role = Role.EDITOR
    view_role: Role = Role.VIEWER

    def _parent_allows(self, request, obj, role, model_allowed: bool) -> bool:
        if not model_allowed:
            return False
        matter = matter_at(obj, self.parent_matter_path) if obj is not None and obj.pk else None
        return _role_allows(request, matter, role)

    def has_view_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self.view_role, super().has_view_permission(request, obj))

    def has_add_permission(self, request, obj):
        return self._parent_allows(request, obj, self.edit_role, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self.edit_role, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self.edit_role, super().has_delete_permission(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        request.evidence_admin_matter = matter_at(obj, self.parent_matter_path) if obj is not None and obj.pk else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(request, db_field.related_model, add_role=self.edit_role)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
