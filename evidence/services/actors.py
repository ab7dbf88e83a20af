"""A matter's actors (people, organisations) and issues (tags), found by name or created on first use."""

from evidence.models import Actor, ActorKind, Issue, Matter
from evidence.services.base import save_with_history


def actor_get_or_create(*, matter: Matter, name: str, user, reason: str, kind: str = ActorKind.PERSON) -> Actor:
    """The matter's actor of that name (case-insensitive); `kind` is used only when creating it."""
    name = " ".join(name.split())
    actor = Actor.objects.filter(matter=matter, name__iexact=name).first()
    if actor is None:
        actor = Actor(matter=matter, name=name, kind=kind)
        save_with_history(actor, user=user, reason=reason)
    return actor


def issue_get_or_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    name = " ".join(name.split())
    issue = Issue.objects.filter(matter=matter, name__iexact=name).first()
    if issue is None:
        issue = Issue(matter=matter, name=name)
        save_with_history(issue, user=user, reason=reason)
    return issue


def actors_resolve(matter, names_or_actors, *, user, reason) -> list[Actor]:
    return [
        a if isinstance(a, Actor) else actor_get_or_create(matter=matter, name=a, user=user, reason=reason)
        for a in names_or_actors
        if isinstance(a, Actor) or a.strip()
    ]


def issues_resolve(matter, names_or_issues, *, user, reason) -> list[Issue]:
    return [
        i if isinstance(i, Issue) else issue_get_or_create(matter=matter, name=i, user=user, reason=reason)
        for i in names_or_issues
        if isinstance(i, Issue) or i.strip()
    ]
