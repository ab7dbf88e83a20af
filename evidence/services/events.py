"""Events: create, change (with the stale-edit check), soft delete and restore, and bring back an earlier version.

A version is the whole event: fields, date, actors, issues and citations. Every write here is one version (one history
row, written by citations.event_version_save once the citations are set), and restoring a version restores all of it.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from evidence import dates, selectors
from evidence.models import Actor, Document, Event, Issue, Matter, SubmissionToken
from evidence.models.events import event_numbers_allocate
from evidence.services.actors import actors_resolve, issues_resolve
from evidence.services.base import StaleEdit
from evidence.services.citations import event_version_save


@transaction.atomic
def event_create(
    *,
    matter: Matter,
    user,
    date: dates.PartialDate | str,
    title: str,
    reason: str,
    actors: Iterable[Actor | str] = (),
    issues: Iterable[Issue | str] = (),
    citations: Iterable[tuple[Document, str, str]] = (),
    **fields,
) -> Event:
    """A new event; `citations` are (document, pinpoint, note) it cites, created in the same transaction."""
    event = Event(matter=matter, title=title, citations_snapshot=[], **fields)
    event.date = matter.read_date(date)
    event.number = event_numbers_allocate(matter.pk)[0]
    event_version_save(
        event,
        user=user,
        reason=reason,
        m2m={
            "actors": actors_resolve(matter, actors, user=user, reason=reason),
            "issues": issues_resolve(matter, issues, user=user, reason=reason),
        },
        citations=list(citations),
    )
    return event


def event_create_once(*, matter: Matter, submission_token: str | None, **kwargs) -> tuple[Event, bool]:
    """event_create, at most once per `submission_token` (the create form's one-time token) in the matter.

    Returns (event, created): a token already used gives back the event its first submission created, and nothing
    is written. Two submissions at once: the unique constraint decides, and the loser gets the winner's event.
    Without a token this is event_create."""
    if not submission_token:
        return event_create(matter=matter, **kwargs), True
    token = str(submission_token)
    existing = _event_of_token(matter, token)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: a lost race undoes this event, not the caller's transaction
            event = event_create(matter=matter, **kwargs)
            SubmissionToken.objects.create(matter=matter, token=token, event=event)
    except IntegrityError:
        existing = _event_of_token(matter, token)
        if existing is None:
            raise  # some other constraint
        return existing, False
    return event, True


def _event_of_token(matter: Matter, token: str) -> Event | None:
    used = SubmissionToken.objects.filter(matter=matter, token=token).select_related("event").first()
    return used.event if used else None


@transaction.atomic
def event_update(
    *,
    event: Event,
    user,
    reason: str,
    expected_version: int | None = None,
    date: dates.PartialDate | str | None = None,
    actors: Iterable[Actor | str] | None = None,
    issues: Iterable[Issue | str] | None = None,
    citations: Iterable[tuple[Document, str, str]] | None = None,
    **fields,
) -> Event:
    """Change an event. With `expected_version`, refuse (StaleEdit) if someone saved it since that version.
    With `citations`, the event cites exactly those (document, pinpoint, note) afterwards."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current)
    unknown = set(fields) - set(Event.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(current, name, value)
    if date is not None:
        current.date = current.matter.read_date(date)
    m2m = {
        "actors": actors_resolve(current.matter, actors, user=user, reason=reason)
        if actors is not None
        else current.actors.all(),
        "issues": issues_resolve(current.matter, issues, user=user, reason=reason)
        if issues is not None
        else current.issues.all(),
    }
    current.version += 1  # safe: the row is locked until commit
    m2m = {k: list(v) for k, v in m2m.items()}
    event_version_save(current, user=user, reason=reason, m2m=m2m, citations=citations)
    return current


@transaction.atomic
def event_delete(*, event: Event, user, reason: str, expected_version: int | None = None) -> Event:
    """Soft delete: the event disappears from the timeline and exports, and can be restored from its history.
    With `expected_version`, refuse (StaleEdit) if someone saved it since that version."""
    return _set_deleted(event, deleted_at=timezone.now(), user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def event_restore(*, event: Event, user, reason: str, expected_version: int | None = None) -> Event:
    return _set_deleted(event, deleted_at=None, user=user, reason=reason, expected_version=expected_version)


def _set_deleted(event: Event, *, deleted_at, user, reason, expected_version) -> Event:
    current = Event.objects.select_for_update().get(pk=event.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current)
    current.deleted_at = deleted_at
    current.version += 1
    event_version_save(current, user=user, reason=reason)
    return current


@transaction.atomic
def event_revert(*, event: Event, history_id: int, user, reason: str) -> Event:
    """Bring back an earlier version whole (fields, date, actors, issues, citations, deleted or not) as a new version;
    history is never rewritten. Its citations are cited again where the document is still in the matter, deleted
    or not; selectors.version_citations says what it does with each (the notes the pages show)."""
    old = event.history.get(history_id=history_id)
    fields = {name: getattr(old, name) for name in Event.EDITABLE_FIELDS}
    current = Event.objects.select_for_update().get(pk=event.pk)
    citations = selectors.version_citations(event=current, record=old).citations
    for name, value in fields.items():
        setattr(current, name, value)
    for name in Event.STORED_COLUMNS:
        setattr(current, name, getattr(old, name))
    current.date = current.date  # refresh the derived sort and filter columns
    current.deleted_at = old.deleted_at
    current.version += 1
    actors = Actor.objects.filter(pk__in=old.actors.values_list("actor_id", flat=True))
    issues = Issue.objects.filter(pk__in=old.issues.values_list("issue_id", flat=True))
    m2m = {"actors": list(actors), "issues": list(issues)}
    event_version_save(current, user=user, reason=reason, m2m=m2m, citations=citations)
    return current
