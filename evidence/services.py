"""Every write. Each function is one atomic action: validate, save, and record who did it and why in the history.

Views, admin actions and management commands translate their input and call these; they never save models themselves.
"""

from dataclasses import dataclass
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from evidence import dates, files
from evidence.models import (
    EVENT_HISTORY,
    Actor,
    ActorKind,
    Citation,
    Document,
    Event,
    Issue,
    Matter,
    Membership,
    Role,
)

EVENT_FIELDS = (
    "title", "description", "kind", "status", "is_key", "is_privileged", "source_note", "external_id", "order",
)  # fmt: skip
DOCUMENT_FIELDS = (
    "title", "author", "source_url", "captured_at", "bates_start", "bates_end", "is_privileged",
)  # fmt: skip


class StaleEdit(ValidationError):
    """The record changed since the editor loaded it; `current` is the version now stored."""

    def __init__(self, current):
        super().__init__(
            f"This event was changed by someone else (now version {current.version}) since you opened it. "
            "Review their changes and save again.",
            code="stale",
        )
        self.current = current


def _save(instance, *, user, reason: str, m2m: dict | None = None) -> None:
    """Validate and save with history user and reason set first; with m2m, record one history row after setting it.

    simple-history would otherwise write one row for the save and another for each m2m change.
    """
    if not reason:
        raise ValueError("Every write needs a reason for the history.")
    instance.full_clean()
    instance._history_user = user
    instance._change_reason = reason[:100]
    if not m2m:
        instance.save()
        return
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    EVENT_HISTORY.create_historical_record(instance, "+" if created else "~")


# Matters and members -------------------------------------------------------------------------------------------


@transaction.atomic
def matter_create(*, user, slug: str, short_title: str, reason: str = "matter created", **fields) -> Matter:
    matter = Matter(slug=slug, short_title=short_title, **fields)
    _save(matter, user=user, reason=reason)
    membership_set(matter=matter, user=user, member=user, role=Role.OWNER, reason=reason)
    return matter


@transaction.atomic
def matter_update(*, matter: Matter, user, reason: str, **fields) -> Matter:
    for name, value in fields.items():
        setattr(matter, name, value)
    _save(matter, user=user, reason=reason)
    return matter


@transaction.atomic
def membership_set(*, matter: Matter, user, member, role: Role, reason: str) -> Membership:
    membership = Membership.objects.filter(matter=matter, user=member).first() or Membership(matter=matter, user=member)
    if membership.pk and membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(matter, member)
    membership.role = role
    _save(membership, user=user, reason=reason)
    return membership


@transaction.atomic
def membership_remove(*, matter: Matter, user, member, reason: str) -> None:
    membership = Membership.objects.select_for_update().get(matter=matter, user=member)
    if membership.role == Role.OWNER:
        _ensure_another_owner(matter, member)
    membership._history_user = user
    membership._change_reason = reason
    membership.delete()


def _ensure_another_owner(matter: Matter, member) -> None:
    if not Membership.objects.filter(matter=matter, role=Role.OWNER).exclude(user=member).exists():
        raise ValidationError("A matter must keep at least one owner.")


# Actors and issues -------------------------------------------------------------------------------------------------


def actor_get_or_create(*, matter: Matter, name: str, user, reason: str, kind: str = ActorKind.PERSON) -> Actor:
    """The matter's actor of that name (case-insensitive); `kind` is used only when creating it."""
    name = " ".join(name.split())
    actor = Actor.objects.filter(matter=matter, name__iexact=name).first()
    if actor is None:
        actor = Actor(matter=matter, name=name, kind=kind)
        _save(actor, user=user, reason=reason)
    return actor


def issue_get_or_create(*, matter: Matter, name: str, user, reason: str) -> Issue:
    name = " ".join(name.split())
    issue = Issue.objects.filter(matter=matter, name__iexact=name).first()
    if issue is None:
        issue = Issue(matter=matter, name=name)
        _save(issue, user=user, reason=reason)
    return issue


def _actors(matter, names_or_actors, *, user, reason) -> list[Actor]:
    return [
        a if isinstance(a, Actor) else actor_get_or_create(matter=matter, name=a, user=user, reason=reason)
        for a in names_or_actors
        if isinstance(a, Actor) or a.strip()
    ]


def _issues(matter, names_or_issues, *, user, reason) -> list[Issue]:
    return [
        i if isinstance(i, Issue) else issue_get_or_create(matter=matter, name=i, user=user, reason=reason)
        for i in names_or_issues
        if isinstance(i, Issue) or i.strip()
    ]


# Events ------------------------------------------------------------------------------------------------------------


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
    event = Event(matter=matter, title=title, **fields)
    event.date = matter.read_date(date)
    _save(
        event,
        user=user,
        reason=reason,
        m2m={
            "actors": _actors(matter, actors, user=user, reason=reason),
            "issues": _issues(matter, issues, user=user, reason=reason),
        },
    )
    _set_citations(event, citations, user=user, reason=reason)
    return event


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
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(current, name, value)
    if date is not None:
        current.date = current.matter.read_date(date)
    m2m = {
        "actors": _actors(current.matter, actors, user=user, reason=reason) if actors is not None else current.actors.all(),
        "issues": _issues(current.matter, issues, user=user, reason=reason) if issues is not None else current.issues.all(),
    }
    current.version += 1  # safe: the row is locked until commit
    _save(current, user=user, reason=reason, m2m={k: list(v) for k, v in m2m.items()})
    if citations is not None:
        _set_citations(current, citations, user=user, reason=reason)
    return current


def _set_citations(event: Event, wanted: Iterable[tuple[Document, str, str]], *, user, reason: str) -> None:
    """Make the event cite exactly `wanted`. A citation is never edited in place: one whose note or pinpoint changed
    is deleted (its history keeps it) and created anew. Deletes go first, so a changed row may take the (document,
    pinpoint) of the row it replaces."""
    wanted = [(document, pinpoint.strip(), note.strip()) for document, pinpoint, note in wanted]
    wanted_keys = {(document.pk, pinpoint, note) for document, pinpoint, note in wanted}
    existing = list(Citation.objects.filter(event=event).select_related("document", "document__matter"))
    kept = set()
    for citation in existing:
        key = (citation.document_id, citation.pinpoint, citation.note)
        if key in wanted_keys and key not in kept:
            kept.add(key)
        else:
            citation_delete(citation=citation, user=user, reason=reason)
    for document, pinpoint, note in wanted:
        if (document.pk, pinpoint, note) not in kept:
            kept.add((document.pk, pinpoint, note))
            citation_create(event=event, document=document, pinpoint=pinpoint, note=note, user=user, reason=reason)


@transaction.atomic
def event_delete(*, event: Event, user, reason: str) -> Event:
    """Soft delete: the event disappears from the timeline and exports, and can be restored from its history."""
    return _set_deleted(event, deleted_at=timezone.now(), user=user, reason=reason)


@transaction.atomic
def event_restore(*, event: Event, user, reason: str) -> Event:
    return _set_deleted(event, deleted_at=None, user=user, reason=reason)


def _set_deleted(event: Event, *, deleted_at, user, reason) -> Event:
    current = Event.objects.select_for_update().get(pk=event.pk)
    current.deleted_at = deleted_at
    current.version += 1
    _save(current, user=user, reason=reason, m2m={"actors": list(current.actors.all()), "issues": list(current.issues.all())})
    return current


@transaction.atomic
def event_revert(*, event: Event, history_id: int, user, reason: str) -> Event:
    """Bring back the fields, actors and issues of an earlier version, as a new version (history is never rewritten)."""
    old = event.history.get(history_id=history_id)
    fields = {name: getattr(old, name) for name in EVENT_FIELDS}
    current = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    for name in (
        "date_precision", "date_start", "date_end_precision", "date_end", "date_tz", "date_approximate", "date_bound",
    ):  # fmt: skip
        setattr(current, name, getattr(old, name))
    current.date = current.date  # refresh the derived sort and filter columns
    current.deleted_at = old.deleted_at
    current.version += 1
    actors = Actor.objects.filter(pk__in=old.actors.values_list("actor_id", flat=True))
    issues = Issue.objects.filter(pk__in=old.issues.values_list("issue_id", flat=True))
    _save(current, user=user, reason=reason, m2m={"actors": list(actors), "issues": list(issues)})
    return current


# Documents ---------------------------------------------------------------------------------------------------------


@dataclass
class IntakeResult:
    document: Document
    created: bool  # False when these exact bytes were already evidence in the matter


@transaction.atomic
def document_intake(
    *,
    matter: Matter,
    user,
    file,
    filename: str,
    reason: str,
    title: str = "",
    date: dates.PartialDate | str | None = None,
    exhibit_number: int | None = None,
    **fields,
) -> IntakeResult:
    """Take in one evidence file: stream and hash it, recognise a duplicate, number it, store it, extract its text.

    Exhibit numbers come from the matter's counter, incremented by an UPDATE inside this transaction: the row lock
    makes concurrent intakes queue, and a rolled-back intake gives its number back, so numbers have no gaps and no
    duplicates. An explicit `exhibit_number` (from an import manifest) must be free and moves the counter past it.
    """
    spooled = files.spool(file, filename=filename)
    try:
        existing = Document.objects.filter(matter=matter, sha256=spooled.sha256).first()
        if existing is not None:
            spooled.discard()
            if existing.is_deleted:
                existing.deleted_at = None
                _save(existing, user=user, reason=f"{reason} (the same file again: restored)")
            return IntakeResult(document=existing, created=False)
        number = _next_exhibit_number(matter, exhibit_number)
        document = Document(
            matter=matter,
            title=title or filename,
            original_filename=filename[:255],
            sha256=spooled.sha256,
            size=spooled.size,
            media_type=spooled.media_type,
            exhibit_number=number,
            extracted_text=files.extract_text(spooled.path, spooled.media_type),
            **fields,
        )
        document.matter = Matter.objects.get(pk=matter.pk)  # the prefix as it is now, for labels
        document.date = matter.read_date(date) if date is not None else dates.UNDATED
        document.file.name = files.storage_name(spooled.sha256)
        document.full_clean(exclude=["file"])
        # The file is placed before commit: it is content-addressed, so a rollback leaves at worst an unreferenced
        # copy of these bytes (reported by verify_evidence), never a row pointing at a missing file.
        files.store(spooled)
        _save(document, user=user, reason=reason)
    except BaseException:
        spooled.discard()
        raise
    return IntakeResult(document=document, created=True)


def _next_exhibit_number(matter: Matter, requested: int | None) -> int:
    if requested is None:
        Matter.objects.filter(pk=matter.pk).update(last_exhibit_number=F("last_exhibit_number") + 1)
        return Matter.objects.values_list("last_exhibit_number", flat=True).get(pk=matter.pk)
    if requested < 1:
        raise ValidationError({"exhibit_number": "Exhibit numbers start at 1."})
    Matter.objects.filter(pk=matter.pk).update(last_exhibit_number=Greatest(F("last_exhibit_number"), requested))
    taken = Document.objects.filter(matter=matter, exhibit_number=requested).first()
    if taken:
        raise ValidationError({"exhibit_number": f"{taken.exhibit_label} is already “{taken.title}”."})
    return requested


@transaction.atomic
def document_update(*, document: Document, user, reason: str, date: dates.PartialDate | str | None = None, **fields) -> Document:
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"document_update() got unknown fields {sorted(unknown)}")
    current = Document.objects.select_for_update().get(pk=document.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    if date is not None:
        current.date = current.matter.read_date(date)
    _save(current, user=user, reason=reason)
    return current


@transaction.atomic
def document_delete(*, document: Document, user, reason: str) -> Document:
    """Soft delete: the file and the row stay; the document is hidden and can be restored."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    current.deleted_at = timezone.now()
    _save(current, user=user, reason=reason)
    return current


@transaction.atomic
def document_restore(*, document: Document, user, reason: str) -> Document:
    current = Document.objects.select_for_update().get(pk=document.pk)
    current.deleted_at = None
    _save(current, user=user, reason=reason)
    return current


# Citations ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def citation_create(*, event: Event, document: Document, user, reason: str, pinpoint: str = "", note: str = "") -> Citation:
    citation = Citation(event=event, document=document, pinpoint=pinpoint.strip(), note=note.strip())
    try:
        with transaction.atomic():
            _save(citation, user=user, reason=reason)
    except IntegrityError:
        raise ValidationError(f"{citation.label} is already cited by this event.")
    return citation


@transaction.atomic
def citation_delete(*, citation: Citation, user, reason: str) -> None:
    citation._history_user = user
    citation._change_reason = reason
    citation.delete()

