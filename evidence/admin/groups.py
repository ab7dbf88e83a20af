"""The groups that give each role its model permissions in the admin.

A group is an upper bound for every matter at once; the admin then narrows it to the user's role in each matter
(evidence.admin.scope). Put a user in the group of the highest role he holds in any matter: an owner of one matter
who only views another may still change nothing there.

Nothing here deletes evidence, actors or issues: soft delete and restore are changes, and a citation or a
membership is deleted through its service.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from evidence.models import Role

GROUP_NAMES = {
    Role.VIEWER: "Case Timeline viewers",
    Role.EDITOR: "Case Timeline editors",
    Role.OWNER: "Case Timeline owners",
}

_RECORDS = ["event", "document", "citation", "actor", "issue", "trackedsource", "sourceversion", "audience"]
_VIEW = [f"view_{m}" for m in ["matter", "job", *_RECORDS]]
_EDIT = [*_VIEW, *(f"{a}_{m}" for m in _RECORDS for a in ("add", "change")), "delete_citation"]
_OWN = [*_EDIT, "add_matter", "change_matter", *(f"{a}_membership" for a in ("view", "add", "change", "delete"))]

CODENAMES = {Role.VIEWER: _VIEW, Role.EDITOR: _EDIT, Role.OWNER: _OWN}


@transaction.atomic
def ensure_role_groups() -> dict[Role, Group]:
    """Create the three groups, or set their permissions back to these (run after migrate: permissions exist then)."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        wanted = CODENAMES[role]
        permissions = list(Permission.objects.filter(content_type__app_label="evidence", codename__in=wanted))
        missing = set(wanted) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"Permissions missing (has migrate run?): {', '.join(sorted(missing))}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[role] = group
    return groups


def role_group(role: Role) -> Group:
    return ensure_role_groups()[Role(role)]
