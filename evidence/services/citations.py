"""Citations: an event's link to a document with a pinpoint. A citation is never edited in place."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Citation, Document, Event
from evidence.services.base import save_with_history


@transaction.atomic
def citation_create(
    *, event: Event, document: Document, user, reason: str, pinpoint: str = "", note: str = ""
) -> Citation:
    citation = Citation(event=event, document=document, pinpoint=pinpoint.strip(), note=note.strip())
    try:
        with transaction.atomic():
            save_with_history(citation, user=user, reason=reason)
    except IntegrityError as error:
        raise ValidationError(f"{citation.label} is already cited by this event.") from error
    return citation


@transaction.atomic
def citation_delete(*, citation: Citation, user, reason: str) -> None:
    citation._history_user = user
    citation._change_reason = reason
    citation.delete()


def citations_set(event: Event, wanted: Iterable[tuple[Document, str, str]], *, user, reason: str) -> None:
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
    created, in one transaction. Returns the citation as it is afterwards (the same row if nothing changed)."""
    current = Citation.objects.select_for_update().select_related("event", "document").get(pk=citation.pk)
    wanted = {
        "event": event or current.event,
        "document": document or current.document,
        "pinpoint": (current.pinpoint if pinpoint is None else pinpoint).strip(),
        "note": (current.note if note is None else note).strip(),
    }
    if all(getattr(current, name) == value for name, value in wanted.items()):
        return current
    citation_delete(citation=current, user=user, reason=reason)
    return citation_create(user=user, reason=reason, **wanted)
