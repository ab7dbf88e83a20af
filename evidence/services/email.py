"""Writes for e-mail evidence: a message's attachments become documents; a confirmed proposal becomes a cited event.

Built only on the other services, so every write still goes through document_intake and event_create with their
history user and reason; the event is created citing the message, so its first version holds the citation. Its
actors are the matter's actors its sender and recipients match (evidence.actor_matching), and new ones only for
those who match none.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from evidence import dates, email_evidence
from evidence.actor_matching import Participant, email_participants
from evidence.models import Document, Event, Matter
from evidence.services.actors import NewActor
from evidence.services.documents import IntakeResult, document_intake
from evidence.services.events import event_create_once

EMAIL_MAX_BYTES = 100 * 1024 * 1024


@dataclass
class AttachmentOutcome:
    filename: str
    result: IntakeResult | None = None
    error: str = ""


@dataclass
class EmailIntakeResult:
    message: IntakeResult
    parsed: email_evidence.ParsedEmail | None  # None when the file turned out not to be an e-mail message
    attachments: list[AttachmentOutcome]


def email_intake(*, matter: Matter, user, file, filename: str, reason: str) -> EmailIntakeResult:
    """Take in an .eml file: the message as a document titled, dated and authored from its headers, then each
    attachment as a document of its own. A file that does not parse as a message is taken in as a plain document.

    The message is read into memory to parse it, so only files up to EMAIL_MAX_BYTES are read as e-mail; larger
    ones go through the plain intake (which applies the upload limit). A message over the bounds of
    email_evidence (MIME parts, nesting, attachments) is refused whole, with nothing written.
    """
    data = _read_limited(file, getattr(settings, "EVIDENCE_EMAIL_MAX_BYTES", EMAIL_MAX_BYTES))
    if data is None:
        file.seek(0)
        return EmailIntakeResult(
            message=document_intake(matter=matter, user=user, file=file, filename=filename, reason=reason),
            parsed=None,
            attachments=[],
        )
    try:
        parsed = email_evidence.parse_email(data)
    except ValidationError as error:
        if error.code == "too_complex":  # bounded before anything is written: the file is not kept either
            raise ValidationError(
                f"“{filename}”: {' '.join(error.messages)} Nothing was stored; put the message in a ZIP to keep it "
                "as a file.",
                code=error.code,
            ) from None
        parsed = None  # not a message, or one the mail library cannot read: kept as the file it is
    if parsed is None:
        result = document_intake(matter=matter, user=user, file=io.BytesIO(data), filename=filename, reason=reason)
        return EmailIntakeResult(message=result, parsed=None, attachments=[])
    result = document_intake(
        matter=matter,
        user=user,
        file=io.BytesIO(data),
        filename=filename,
        reason=reason,
        title=parsed.subject[:500],
        date=parsed.date,
        author=", ".join(email_evidence.actor_name(*a) for a in parsed.sender)[:300],
    )
    return EmailIntakeResult(
        message=result,
        parsed=parsed,
        attachments=email_attachments_intake(
            matter=matter, user=user, message=result.document, parsed=parsed, reason=reason
        ),
    )


def _read_limited(file, limit: int) -> bytes | None:
    """The file's bytes, or None if it is larger than `limit`."""
    chunks, size = [], 0
    source = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1024 * 1024), b"")
    for chunk in source:
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def email_attachments_intake(
    *, matter: Matter, user, message: Document, parsed: email_evidence.ParsedEmail, reason: str
) -> list[AttachmentOutcome]:
    """Each attachment of a message as a document of its own, in its own intake (its own transaction): an empty or
    oversized one is reported and the others are still kept. Attachments already in the matter are recognised by
    their hash, so doing this twice adds nothing. They are undated and cite nothing: the sending date is not the
    attachment's date, and the paralegal decides what each one proves.
    """
    outcomes = []
    for attachment in parsed.attachments:
        outcome = AttachmentOutcome(filename=attachment.filename)
        try:
            outcome.result = document_intake(
                matter=matter,
                user=user,
                file=io.BytesIO(attachment.content),
                filename=attachment.filename,
                reason=f"{reason}: attachment of {message.exhibit_label}",
            )
        except ValidationError as error:
            outcome.error = " ".join(error.messages)
        outcomes.append(outcome)
    return outcomes


def email_event_create(*, submission_token: str | None = None, **kwargs) -> Event:
    """Save a confirmed e-mail proposal: the event and its citation of the message, together or not at all."""
    return email_event_create_once(submission_token=submission_token, **kwargs)[0]


@transaction.atomic
def email_event_create_once(
    *,
    matter: Matter,
    user,
    document: Document,
    date: dates.PartialDate | str,
    title: str,
    kind: str,
    actors: Iterable[str],
    description: str = "",
    pinpoint: str = "",
    reason: str,
    submission_token: str | None,
    participants: list[Participant] | None = None,
    kinds: dict[str, str] | None = None,
) -> tuple[Event, bool]:
    """email_event_create, at most once per the form's `submission_token` (see event_create_once): (event, created).

    Each name in `actors` that is one of the message's participants (`participants`: as email_participants matched
    them; read from the stored message when not given) is the actor it was matched to, or a new actor of the kind
    `kinds` gives for its name (casefolded), else guessed, keeping the participant's addresses and organisation.
    Any other name is found or created as the event form does."""
    if document.matter_id != matter.pk:
        raise ValidationError("The message is not evidence in this matter.")
    if participants is None:
        participants = email_participants(matter=matter, parsed=email_evidence.read_stored(document))
    return event_create_once(
        matter=matter,
        submission_token=submission_token,
        user=user,
        date=date,
        title=title,
        kind=kind,
        actors=participant_actors(actors, participants, kinds or {}),
        description=description,
        reason=reason,
        citations=[(document, pinpoint, "")],
    )


def participant_actors(names: Iterable[str], participants: list[Participant], kinds: dict[str, str]) -> list:
    """What event_create takes for the confirmed names (see email_event_create_once)."""
    by_name = {p.name.casefold(): p for p in participants}
    actors = []
    for name in names:
        participant = by_name.get(" ".join(name.split()).casefold())
        if participant is None:
            actors.append(name)
        elif participant.actor is not None:
            actors.append(participant.actor)
        else:
            actors.append(
                NewActor(
                    name=participant.name,
                    kind=kinds.get(participant.name.casefold()) or participant.guess.kind,
                    emails=tuple(participant.addresses),
                    organisation=participant.guess.organisation,
                )
            )
    return actors
