"""A matter's actors (people, organisations) and issues (tags): found by name or created on first use, or created and
renamed one by one (the admin). Never deleted: events and their history refer to them.

An actor created on first use is of the kind the user chose where a form offers the choice (NewActor), else of the
kind evidence.actor_kinds guesses from its name and address: the one rule for every way in.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.actor_matching import Cast
from evidence.models import Actor, ActorKind, Issue, Matter
from evidence.services.base import save_with_history
from evidence.text import clean


@dataclass(frozen=True)
class NewActor:
    """An actor to name by `name`, created with these details if the matter has no actor of that name yet: what a
    form sends for a name it offered the kind of, and e-mail intake for a sender it did not match. `kind` None: the
    guess's."""

    name: str
    kind: str | None = None
    emails: tuple[str, ...] = ()
    organisation: str = ""


def actor_get_or_create(
    *, matter: Matter, name: str, user, reason: str, kind: str | None = None, emails: Iterable[str] = (),
    organisation: str | None = None,
) -> Actor:  # fmt: skip
    """The matter's actor of that name (case-insensitive). The other arguments are used only when creating it:
    `kind` None is the kind evidence.actor_kinds guesses from the name and the first address; `organisation` None
    is the one the guess suggests from the address's domain."""
    name = tidy_name(name)
    actor = Actor.objects.filter(matter=matter, name__iexact=name).first()
    if actor is None:
        emails = [e.strip().lower() for e in emails if e and e.strip()]
        if kind is None or organisation is None:
            guess = Cast(matter).guess(name, emails[0] if emails else "")
            kind = kind or guess.kind
            organisation = guess.organisation if organisation is None else organisation
        if kind == ActorKind.ORGANISATION and organisation.casefold() == name.casefold():
            organisation = ""  # an organisation is not a member of itself
        actor = Actor(matter=matter, name=name, kind=kind, organisation=organisation[:200],
                      emails=_emails_text(emails))  # fmt: skip
        save_with_history(actor, user=user, reason=reason)
    return actor


def _emails_text(emails: Iterable[str]) -> str:
    """Addresses as an actor keeps them: lower case, each once, sorted, separated by ", "."""
    return ", ".join(sorted({e.strip().lower() for e in emails if e and e.strip()}))


def issue_get_or_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    name = tidy_name(name)
    issue = Issue.objects.filter(matter=matter, name__iexact=name).first()
    if issue is None:
        issue = Issue(matter=matter, name=name)
        save_with_history(issue, user=user, reason=reason)
    return issue


def tidy_name(name: str) -> str:
    """One space between words, and the text rule applied before the name is looked up: the name found or created
    is then the name that is kept."""
    return " ".join(clean(name).split())


def actors_resolve(matter, names_or_actors: Iterable[Actor | NewActor | str], *, user, reason) -> list[Actor]:
    """Actors as events take them: an Actor as it is, a name found or created (NewActor: with those details)."""
    found = []
    for item in names_or_actors:
        if isinstance(item, Actor):
            found.append(item)
        elif isinstance(item, NewActor):
            if tidy_name(item.name):
                found.append(actor_get_or_create(
                    matter=matter, name=item.name, kind=item.kind, emails=item.emails,
                    organisation=item.organisation or None, user=user, reason=reason,
                ))  # fmt: skip
        elif tidy_name(item):
            found.append(actor_get_or_create(matter=matter, name=item, user=user, reason=reason))
    return found


def issues_resolve(matter, names_or_issues, *, user, reason) -> list[Issue]:
    return [
        i if isinstance(i, Issue) else issue_get_or_create(matter=matter, name=i, user=user, reason=reason)
        for i in names_or_issues
        if isinstance(i, Issue) or tidy_name(i)
    ]


def free_name(model, matter: Matter, name: str, *, exclude_pk=None) -> str:
    """The name tidied, if no other actor (issue) of the matter has it in any case; the pages match names that way."""
    name = tidy_name(name)
    clash = model.objects.filter(matter=matter, name__iexact=name).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError({"name": f"“{clash.name}” is already in this matter."})
    return name


@transaction.atomic
def actor_create(*, matter: Matter, name: str, user, reason: str, kind: str | None = None) -> Actor:
    """A new actor; unlike actor_get_or_create, an existing name is refused rather than returned. `kind` None: the
    kind evidence.actor_kinds guesses from the name."""
    name = free_name(Actor, matter, name)
    actor = Actor(matter=matter, name=name, kind=kind or Cast(matter).guess(name).kind)
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
        current.name = free_name(Actor, current.matter, name, exclude_pk=current.pk)
    if kind is not None:
        current.kind = kind
    if "emails" in details:
        details["emails"] = _emails_text((details["emails"] or "").replace(";", ",").split(","))
    for field, value in details.items():
        setattr(current, field, value)
    save_with_history(current, user=user, reason=reason)
    return current


@transaction.atomic
def issue_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    issue = Issue(matter=matter, name=free_name(Issue, matter, name))
    save_with_history(issue, user=user, reason=reason)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, user, reason: str, name: str | None = None, description: str | None = None) -> Issue:
    current = Issue.objects.select_for_update().get(pk=issue.pk)
    if name is not None:
        current.name = free_name(Issue, current.matter, name, exclude_pk=current.pk)
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
