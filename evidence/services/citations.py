"""Citations: an event's link to a document with a pinpoint and a note. A citation is never edited in place.

A version of an event is the whole event, its citations included. So every change of citations is a new version of
the event (its `version` + 1 and one history row, in the same transaction), and event_version_save, the one writer of
versions, keeps the citations on the row it saves (Event.citations_snapshot), which simple-history copies into the
version. A version's citations are then read from its own row: an as-of query on Citation.history by timestamp would
be wrong whenever two writes share a timestamp or the citations are written after the event's row.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import EVENT_HISTORY, Citation, Document, Event
from evidence.services.base import StaleEdit, save_with_history
from evidence.text import clean


def snapshot_entries(citations: Iterable[tuple[Document, str, str]]) -> list[dict]:
    """(document, pinpoint, note) as Event.citations_snapshot keeps them: one dict per citation,
    {"document": id, "exhibit": "PX-3", "number": 3, "pinpoint": "p. 2", "note": ""}, sorted by exhibit number,
    pinpoint and note. The label is kept as it read then, so a version still names a document that is gone."""
    entries = [
        {"document": d.pk, "exhibit": d.exhibit_label, "number": d.exhibit_number, "pinpoint": p, "note": n}
        for d, p, n in citations
    ]
    return sorted(entries, key=lambda e: (e["number"], e["pinpoint"], e["note"]))


def citations_snapshot(event: Event) -> list[dict]:
    rows = Citation.objects.filter(event=event).select_related("document__matter")
    return snapshot_entries((c.document, c.pinpoint, c.note) for c in rows)


def event_version_save(event: Event, *, user, reason: str, m2m: dict | None = None, citations=None) -> None:
    """Write `event` as one version: its fields, its actors and issues (`m2m`; left as they are when not given), its
    citations (`citations`: the (document, pinpoint, note) it cites afterwards; None leaves them), then ONE history
    row that holds all of it. The caller has locked the row and set `version`.

    The history row is written here rather than by save_with_history because the citations need the event's row
    first (a new event has no id before it is saved), and the row must come after them to hold their snapshot.
    """
    created = event._state.adding
    event.skip_history_when_saving = True
    try:
        save_with_history(event, user=user, reason=reason)  # validated, saved, user and reason set; no history row
        for name, values in (m2m or {}).items():
            getattr(event, name).set(values)
        if citations is not None:
            citations_set(event, citations, user=user, reason=reason)
        snapshot = citations_snapshot(event)
        if snapshot != event.citations_snapshot:
            event.citations_snapshot = snapshot
            Event.objects.filter(pk=event.pk).update(citations_snapshot=snapshot)
    finally:
        del event.skip_history_when_saving
    EVENT_HISTORY.create_historical_record(event, "+" if created else "~")


def _insert(*, event: Event, document: Document, pinpoint: str, note: str, user, reason: str) -> Citation:
    citation = Citation(event=event, document=document, pinpoint=clean(pinpoint).strip(), note=clean(note).strip())
    try:
        with transaction.atomic():
            save_with_history(citation, user=user, reason=reason)
    except IntegrityError as error:
        raise ValidationError(f"{citation.label} is already cited by this event.") from error
    return citation


def _remove(citation: Citation, *, user, reason: str) -> None:
    citation._history_user = user
    citation._change_reason = clean(reason)
    citation.delete()


def _locked(*ids: int) -> dict[int, Event]:
    """The events' rows, locked in id order, so that two writers locking the same events cannot deadlock."""
    return {e.pk: e for e in Event.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")}


def _check_version(current: Event, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current)


def _new_version(current: Event, given: Event | None, *, user, reason: str) -> None:
    """The citations of `current` (locked) changed: write it as a new version, and bring the caller's copy up to date
    so that an edit made with it next is not refused as stale."""
    current.version += 1
    event_version_save(current, user=user, reason=reason)
    if given is not None and given is not current:
        given.version, given.citations_snapshot = current.version, current.citations_snapshot
        given.updated_at = current.updated_at


@transaction.atomic
def citation_create(
    *,
    event: Event,
    document: Document,
    user,
    reason: str,
    pinpoint: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Citation:
    """Cite `document` from `event`: a new version of the event. With `expected_version`, refuse (StaleEdit) if
    someone saved the event since that version."""
    current = _locked(event.pk)[event.pk]
    _check_version(current, expected_version)
    citation = _insert(event=current, document=document, pinpoint=pinpoint, note=note, user=user, reason=reason)
    _new_version(current, event, user=user, reason=reason)
    return citation


@transaction.atomic
def citation_delete(*, citation: Citation, user, reason: str, expected_version: int | None = None) -> None:
    """Remove a citation (its history keeps it): a new version of its event. `expected_version`: the event's, as for
    citation_create."""
    current = _locked(citation.event_id)[citation.event_id]
    _check_version(current, expected_version)
    given = citation.event if Citation._meta.get_field("event").is_cached(citation) else None
    _remove(citation, user=user, reason=reason)
    _new_version(current, given, user=user, reason=reason)


def citations_set(event: Event, wanted: Iterable[tuple[Document, str, str]], *, user, reason: str) -> None:
    """Make the event cite exactly `wanted`, without writing a version (event_version_save calls this, then writes
    one). A citation is never edited in place: one whose note or pinpoint changed is deleted (its history keeps it)
    and created anew. Deletes go first, so a changed row may take the (document, pinpoint) of the row it replaces."""
    # Compared with what is stored, so cleaned as it will be stored (evidence.text).
    wanted = [(document, clean(pinpoint).strip(), clean(note).strip()) for document, pinpoint, note in wanted]
    wanted_keys = {(document.pk, pinpoint, note) for document, pinpoint, note in wanted}
    existing = list(Citation.objects.filter(event=event).select_related("document", "document__matter"))
    kept = set()
    for citation in existing:
        key = (citation.document_id, citation.pinpoint, citation.note)
        if key in wanted_keys and key not in kept:
            kept.add(key)
        else:
            _remove(citation, user=user, reason=reason)
    for document, pinpoint, note in wanted:
        if (document.pk, pinpoint, note) not in kept:
            kept.add((document.pk, pinpoint, note))
            _insert(event=event, document=document, pinpoint=pinpoint, note=note, user=user, reason=reason)


@transaction.atomic
def citation_replace(
    *,
    citation: Citation,
    user,
    reason: str,
    event: Event | None = None,
    document: Document | None = None,
    pinpoint: str | None = None,
    note: str | None = None,
) -> Citation:
    """Change a citation the only way one changes: the old row is deleted (its history keeps it) and a new one
    created, in one transaction, as one new version of the event (of each event, when it moves to another).
    Returns the citation as it is afterwards (the same row if nothing changed)."""
    # The events first, then the citation: the order event_update takes its locks in, so neither waits on the other.
    # A citation's event never changes in place, so the one read before the lock is still its event.
    cited_by = Citation.objects.values_list("event_id", flat=True).get(pk=citation.pk)
    events = _locked(cited_by, *([event.pk] if event is not None else []))
    current = Citation.objects.select_for_update().select_related("event", "document").get(pk=citation.pk)
    wanted = {
        "event": event or current.event,
        "document": document or current.document,
        "pinpoint": clean(current.pinpoint if pinpoint is None else pinpoint).strip(),
        "note": clean(current.note if note is None else note).strip(),
    }
    if all(getattr(current, name) == value for name, value in wanted.items()):
        return current
    _remove(current, user=user, reason=reason)
    created = _insert(user=user, reason=reason, **{**wanted, "event": events[wanted["event"].pk]})
    for pk, locked in events.items():
        _new_version(locked, event if event is not None and event.pk == pk else None, user=user, reason=reason)
    return created
