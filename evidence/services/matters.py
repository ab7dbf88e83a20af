"""Matters and their members. A matter always keeps at least one owner."""

from django.core.exceptions import ValidationError
from django.db import transaction

from evidence.models import FilingSettings, Matter, Membership, Role
from evidence.services.base import save_with_history
from evidence.text import clean


@transaction.atomic
def matter_create(*, user, slug: str, short_title: str, reason: str = "matter created", **fields) -> Matter:
    matter = Matter(slug=slug, short_title=short_title, **fields)
    save_with_history(matter, user=user, reason=reason)
    membership_set(matter=matter, user=user, member=user, role=Role.OWNER, reason=reason)
    return matter


@transaction.atomic
def matter_update(*, matter: Matter, user, reason: str, **fields) -> Matter:
    """Change a matter's caption or settings. A new time zone re-places its timed events: a time belongs to its
    calendar day in the matter's zone, so their order and date windows follow the zone."""
    zone_before = matter.time_zone
    for name, value in fields.items():
        setattr(matter, name, value)
    save_with_history(matter, user=user, reason=reason)
    if matter.time_zone != zone_before:
        matter.rederive_dates()
    return matter


@transaction.atomic
def filing_settings_update(*, matter: Matter, user, reason: str, **fields) -> FilingSettings:
    """Set how the matter's filings cite exhibits, its signature block and its court's file size limit."""
    _lock(matter)
    settings = FilingSettings.objects.filter(matter=matter).first() or FilingSettings(matter=matter)
    for name, value in fields.items():
        setattr(settings, name, value)
    save_with_history(settings, user=user, reason=reason)
    return settings


@transaction.atomic
def membership_set(*, matter: Matter, user, member, role: Role, reason: str) -> Membership:
    _lock(matter)
    membership = Membership.objects.filter(matter=matter, user=member).first() or Membership(matter=matter, user=member)
    if membership.pk and membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(matter, member)
    membership.role = role
    save_with_history(membership, user=user, reason=reason)
    return membership


@transaction.atomic
def membership_remove(*, matter: Matter, user, member, reason: str) -> None:
    _lock(matter)
    membership = Membership.objects.select_for_update().get(matter=matter, user=member)
    if membership.role == Role.OWNER:
        _ensure_another_owner(matter, member)
    membership._history_user = user
    membership._change_reason = clean(reason)
    membership.delete()


def _lock(matter: Matter) -> None:
    """Queue changes of one matter's members behind each other: two owners demoting each other at once would
    otherwise each see the other still an owner, and leave the matter with none."""
    list(Matter.objects.select_for_update().filter(pk=matter.pk).values_list("pk", flat=True))


def _ensure_another_owner(matter: Matter, member) -> None:
    if not Membership.objects.filter(matter=matter, role=Role.OWNER).exclude(user=member).exists():
        raise ValidationError("A matter must keep at least one owner.")
