"""Who acts when a command works on a matter: one rule for import_events, import_documents and export_chronology,
stated in each one's --help.

`--user USERNAME` names an active account. Without it the command acts as the only active superuser or, when there
is no superuser, the only active account (a fresh install that has just the demo login); it refuses when that leaves
several accounts or none, rather than guess whom the history should name. The matter's roles then apply to that
user exactly as in the web UI. load_demo is the exception: it creates the account it acts as (see its --help).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from evidence.models import Matter
from evidence.permissions import matters_editable_by

USER_HELP = (
    "Who acts; the history records them. Default: the only active superuser or, when there is no superuser, the "
    "only active user; refused when there are several or none."
)


def add_user_argument(parser) -> None:
    parser.add_argument("--user", metavar="USERNAME", help=USER_HELP)


def acting_user(username: str | None, *, returncode: int = 1):
    """The user `--user` names, or the default of USER_HELP; a CommandError with `returncode` when there is none."""
    active = get_user_model().objects.filter(is_active=True)
    if username:
        user = active.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.", returncode=returncode)
        return user
    candidates = list(active.filter(is_superuser=True)[:2]) or list(active[:2])
    if len(candidates) != 1:
        if not candidates:
            why = "there is no user yet"
        elif candidates[0].is_superuser:
            why = "there are several superusers"
        else:
            why = "there are several users and no superuser"
        raise CommandError(
            f"Say who acts with --user USERNAME ({why}); the history records that user.", returncode=returncode
        )
    return candidates[0]


def editable_matter(slug: str, user, *, returncode: int = 1) -> Matter:
    """The matter `slug`, if `user` may change it; else one message for both cases, as the web UI answers 404."""
    matter = matters_editable_by(user).filter(slug=slug).first()
    if matter is None:
        raise CommandError(f"No matter “{slug}” that {user} may edit.", returncode=returncode)
    return matter
