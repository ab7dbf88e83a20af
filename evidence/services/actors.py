"""A matter's actors (people, organisations) and issues (tags): found by name or created on first use, or created and
renamed one by one (the admin). Never deleted: events and their history refer to them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.models import Actor, ActorKind, Issue, Matter
from evidence.services.base import save_with_history
from evidence.text import clean


def actor_get_or_create(*, matter: Matter, name: str, user, reason: str, kind: str = ActorKind.PERSON) -> Actor:
    """The matter's actor of that name (case-insensitive); `kind` is used only when creating it."""
    name = _tidy(name)
    actor = Actor.objects.filter(matter=matter, name__iexact=name).first()
    if actor is None:
        actor = Actor(matter=matter, name=name, kind=kind)
        save_with_history(actor, user=user, reason=reason)
    return actor


def issue_get_or_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    name = _tidy(name)
    issue = Issue.objects.filter(matter=matter, name__iexact=name).first()
    if issue is None:
        issue = Issue(matter=matter, name=name)
        save_with_history(issue, user=user, reason=reason)
    return issue


def _tidy(name: str) -> str:
    """One space between words, and the text rule applied before the name is looked up: the name found or created
    is then the name that is kept."""
    return " ".join(clean(name).split())


def actors_resolve(matter, names_or_actors, *, user, reason) -> list[Actor]:
    return [
        a if isinstance(a, Actor) else actor_get_or_create(matter=matter, name=a, user=user, reason=reason)
        for a in names_or_actors
        if isinstance(a, Actor) or _tidy(a)
    ]


def issues_resolve(matter, names_or_issues, *, user, reason) -> list[Issue]:
    return [
        i if isinstance(i, Issue) else issue_get_or_create(matter=matter, name=i, user=user, reason=reason)
        for i in names_or_issues
        if isinstance(i, Issue) or _tidy(i)
    ]


def _free_name(model, matter: Matter, name: str, *, exclude_pk=None) -> str:
    """The name tidied, if no other actor (issue) of the matter has it in any case; the pages match names that way."""
    name = _tidy(name)
    clash = model.objects.filter(matter=matter, name__iexact=name).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError({"name": f"“{clash.name}” is already in this matter."})
    return name


@transaction.atomic
def actor_create(*, matter: Matter, name: str, user, reason: str, kind: str = ActorKind.PERSON) -> Actor:
    """A new actor; unlike actor_get_or_create, an existing name is refused rather than returned."""
    actor = Actor(matter=matter, name=_free_name(Actor, matter, name), kind=kind)
    save_with_history(actor, user=user, reason=reason)
    return actor


@transaction.atomic
def actor_update(
    *, actor: Actor, user, reason: str, name: str | None = None, kind: str | None = None, **details
) -> Actor:
    """Rename an actor, change its kind or its details (description, organisation, emails). Events keep pointing at
    it, so a rename shows on all of them."""
    unknown = set(details) - {"description", "organisation", "emails"}
    if unknown:
        raise TypeError(f"actor_update() got unknown fields {sorted(unknown)}")
    current = Actor.objects.select_for_update().get(pk=actor.pk)
    if name is not None:
        current.name = _free_name(Actor, current.matter, name, exclude_pk=current.pk)
    if kind is not None:
        current.kind = kind
    if "emails" in details:
        details["emails"] = ", ".join(
            sorted({e.strip().lower() for e in (details["emails"] or "").replace(";", ",").split(",") if e.strip()})
        )
    for field, value in details.items():
        setattr(current, field, value)
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def issue_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    issue = Issue(matter=matter, name=_free_name(Issue, matter, name))
    save_with_history(issue, user=user, reason=reason)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, user, reason: str, name: str | None = None, description: str | None = None) -> Issue:
    current = Issue.objects.select_for_update().get(pk=issue.pk)
    if name is not None:
        current.name = _free_name(Issue, current.matter, name, exclude_pk=current.pk)
    if description is not None:
        current.description = description
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def tag_retire(*, item: Actor | Issue, user, reason: str, retired: bool = True) -> Actor | Issue:
    """Retire an actor or issue (no longer offered for new events; the events that name it keep it), or bring it
    back. Never deleted: events and their history refer to it."""
    current = type(item).objects.select_for_update().get(pk=item.pk)
    current.retired_at = timezone.now() if retired else None
    save_with_history(current, user=user, reason=reason)
    return current
