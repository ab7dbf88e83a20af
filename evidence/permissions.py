"""Who may do what in a matter. Deny by default: a user who is not a member does not learn a matter exists."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from evidence.models import Job, Matter, Membership, Role

_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class MatterPermissionDenied(Http404):
    """Raised as a 404 so that a non-member cannot tell a forbidden matter from a missing one."""


def matters_for(user) -> QuerySet[Matter]:
    if not user or not user.is_authenticated or not user.is_active:
        return Matter.objects.none()
    if user.is_superuser:
        return Matter.objects.all()
    return Matter.objects.filter(memberships__user=user)


def matters_editable_by(user) -> QuerySet[Matter]:
    """The matters in which the user may change records (editor or owner)."""
    if not user or not user.is_authenticated or not user.is_active:
        return Matter.objects.none()
    if user.is_superuser:
        return Matter.objects.all()
    return Matter.objects.filter(memberships__user=user, memberships__role__in=[Role.EDITOR, Role.OWNER]).distinct()


def role_in(user, matter: Matter) -> Role | None:
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OWNER
    role = Membership.objects.filter(matter=matter, user=user).values_list("role", flat=True).first()
    return Role(role) if role else None


def roles_in(user, matters) -> dict[int, Role]:
    """role_in for several matters at once (by matter id), in one query."""
    ids = [m.pk for m in matters]
    if not user or not user.is_authenticated or not user.is_active:
        return {}
    if user.is_superuser:
        return dict.fromkeys(ids, Role.OWNER)
    rows = Membership.objects.filter(matter_id__in=ids, user=user).values_list("matter_id", "role")
    return {matter_id: Role(role) for matter_id, role in rows}


def has_role(user, matter: Matter, needed: Role) -> bool:
    role = role_in(user, matter)
    return role is not None and _RANK[role] >= _RANK[Role(needed)]


def require_role(user, matter: Matter, needed: Role = Role.VIEWER) -> Role:
    """The user's role, if it is at least `needed`. A non-member gets a 404; a member whose role is too low, a 403."""
    role = role_in(user, matter)
    if role is None:
        raise MatterPermissionDenied("No such matter.")
    if _RANK[role] < _RANK[Role(needed)]:
        raise PermissionDenied(f"This needs the {Role(needed).label.lower()} role in {matter}.")
    return role


def get_matter_for(user, slug: str, needed: Role = Role.VIEWER) -> Matter:
    """The matter with this slug if the user holds at least `needed` in it; else 404, whether or not it exists."""
    matter = Matter.objects.filter(slug=slug).first()
    if matter is None:
        raise MatterPermissionDenied("No such matter.")
    matter.__dict__[_ROLE_CHECKED] = (user.pk, require_role(user, matter, needed))
    return matter


_ROLE_CHECKED = "_role_checked"


def page_role(user, matter: Matter) -> Role | None:
    """The user's role for drawing a page of this matter: the one get_matter_for checked on this instance (this
    request's) when it did, so the page does not read it twice; else role_in. Only for what a page shows: every
    check of a write reads the role afresh (require_role)."""
    checked = matter.__dict__.get(_ROLE_CHECKED)
    if checked is not None and user is not None and checked[0] == user.pk:
        return checked[1]
    return role_in(user, matter)


# Privileged material (work-product events, privileged documents, the privilege log) leaves the app in an export only
# for members with this role or above: a viewer's export never holds it.
PRIVILEGED_EXPORT_ROLE = Role.EDITOR


def may_export_privileged(user, matter: Matter, *, role: Role | None = None) -> bool:
    """`role`: the user's role in the matter when the caller has read it already (require_role returns it)."""
    role = role or role_in(user, matter)
    return role is not None and _RANK[role] >= _RANK[PRIVILEGED_EXPORT_ROLE]


# A matter's archive holds every record and file, privileged work product and the whole history included: only its
# owners may make one or download it.
ARCHIVE_ROLE = Role.OWNER


def job_role(job: Job) -> Role:
    """The role that sees a background export's page and downloads its file."""
    return ARCHIVE_ROLE if job.kind == Job.Kind.ARCHIVE else Role.VIEWER


def may_see_edition(user, edition, *, role: Role | None = None) -> bool:
    """A kept edition (evidence.models.Edition) is seen, downloaded and compared by the matter's members; one whose
    filters took privileged events in, only by those who may export privileged material, as it holds such material
    (or may: the filters said so)."""
    role = role or role_in(user, edition.matter)
    if role is None:
        return False
    return not edition.includes_privileged or may_export_privileged(user, edition.matter, role=role)


def require_edition(user, edition) -> Role:
    """The user's role, if they may see the edition (may_see_edition); else a 404, as for one that does not exist:
    a viewer does not learn that a privileged edition was made."""
    role = require_role(user, edition.matter, Role.VIEWER)
    if not may_see_edition(user, edition, role=role):
        raise MatterPermissionDenied("No such edition.")
    return role
