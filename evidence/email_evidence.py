"""E-mail evidence: read an .eml message into a proposed event and its attachments. Reads only; nothing is saved here.

A message is bounded before it is believed: at most EMAIL_MAX_PARTS MIME parts (counted while the parser creates
them, so a million tiny parts cost nothing), nesting at most EMAIL_MAX_DEPTH deep (the parser's own recursion limit
is reported the same way) and at most EMAIL_MAX_ATTACHMENTS attachments; over a bound, parse_email raises a
ValidationError with code "too_complex" that names it. A message the mail library fails on in any other way raises
code "unreadable", and "not_email" is for a file that is no message at all.

The proposal is what a paralegal would type from the message: dated by its Date header (to the minute, in the
header's own zone), titled by its subject, with sender and recipients as actors. It is shown as a pre-filled form and
saved only when confirmed (evidence.services.email). Its actors are the matter's own where the participants match them
(evidence.actor_matching), so that a sender already known is not added again under another spelling. Subject, names,
addresses, body and attachment names are read through the one text rule (evidence.text.clean): an encoded word can
carry any character at all.
"""

import datetime as dt
import email.policy
import mimetypes
import re
import zoneinfo
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser

from django.conf import settings
from django.core.exceptions import ValidationError

from evidence import dates, files
from evidence.models import EventKind
from evidence.text import clean

EMAIL_MEDIA_TYPE = "message/rfc822"
TITLE_MAX = 500
ACTOR_MAX = 200
DESCRIPTION_BODY_CHARS = 1500
_UNSAFE_FILENAME_RE = re.compile(r"[\x00-\x1f\x7f]")
_ZONE_COMMENT_RE = re.compile(r"\(\s*([A-Za-z]{1,5})\s*\)\s*$")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    declared_type: str  # as the sender's mail program declared it; the intake sniffs the real type


@dataclass
class ParsedEmail:
    subject: str
    date: dates.PartialDate
    sender: list[tuple[str, str]]  # (display name, address)
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    bcc: list[tuple[str, str]]
    body: str
    attachments: list[Attachment]
    warnings: list[str] = field(default_factory=list)

    @property
    def participants(self) -> list[tuple[str, str]]:
        return [*self.sender, *self.to, *self.cc, *self.bcc]


@dataclass(frozen=True)
class EventProposal:
    date: dates.PartialDate
    title: str
    kind: str
    actors: list[str]
    description: str
    warnings: list[str]


def looks_like_email(document) -> bool:
    return document.media_type == EMAIL_MEDIA_TYPE


def parse_email(data: bytes) -> ParsedEmail:
    """Read an RFC 5322 message (bytes of an .eml file). Raises ValidationError if it is not a message at all, is
    over a bound, or cannot be read (see the module docstring for the codes)."""
    if not files.has_message_headers(data[:65536]):
        raise ValidationError(
            "This file is not an e-mail message (no From and Date/Subject/To headers).", code="not_email"
        )
    message = _bounded_message(data)
    try:
        return _read(message)
    except (LookupError, ValueError, TypeError, AttributeError, IndexError, RecursionError) as error:
        # the mail library's own failures on a malformed message; the file is still evidence, taken in as it is
        raise ValidationError(
            f"The message could not be read as e-mail ({error.__class__.__name__}).", code="unreadable"
        ) from None


class _TooManyParts(Exception):
    pass


def _bounded_message(data: bytes) -> EmailMessage:
    limit = settings.EMAIL_MAX_PARTS
    created = 0

    def counted(policy=email.policy.default):
        nonlocal created
        created += 1
        if created > limit + 1:  # the parser makes one to try the factory out
            raise _TooManyParts
        return EmailMessage(policy=policy)

    try:
        message = BytesParser(_class=counted, policy=email.policy.default).parsebytes(data)
    except _TooManyParts:
        raise _too_complex(f"has more than {limit:,} MIME parts", limit, "EMAIL_MAX_PARTS") from None
    except RecursionError:
        raise _too_deep(None) from None
    except (LookupError, ValueError, TypeError, AttributeError, IndexError) as error:
        raise ValidationError(
            f"The message could not be read as e-mail ({error.__class__.__name__}).", code="unreadable"
        ) from None
    _check_depth(message)
    attachments = sum(1 for _ in message.iter_attachments())
    if attachments > settings.EMAIL_MAX_ATTACHMENTS:
        raise _too_complex(f"has {attachments:,} attachments", settings.EMAIL_MAX_ATTACHMENTS, "EMAIL_MAX_ATTACHMENTS")
    return message


def _check_depth(message: Message) -> None:
    """The nesting of multiparts and attached messages, measured without recursion."""
    stack = [(message, 1)]
    while stack:
        part, depth = stack.pop()
        if depth > settings.EMAIL_MAX_DEPTH:
            raise _too_deep(depth)
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))


def _too_deep(depth: int | None) -> ValidationError:
    found = f"is nested at least {depth} levels deep" if depth else "is nested deeper than the mail parser goes"
    return _too_complex(found, settings.EMAIL_MAX_DEPTH, "EMAIL_MAX_DEPTH")


def _too_complex(found: str, limit: int, setting: str) -> ValidationError:
    return ValidationError(f"The message {found}; the limit is {limit:,} (setting {setting}).", code="too_complex")


def _read(message: EmailMessage) -> ParsedEmail:
    warnings: list[str] = []
    date = _message_date(message, warnings)
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        try:
            body = body_part.get_content()
        except (LookupError, ValueError):  # an unknown charset: the body is still shown, decoded leniently
            body = (body_part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        if body_part.get_content_subtype() == "html":
            body = files.html_to_text(body)
    return ParsedEmail(
        subject=" ".join(clean(str(message.get("subject", "") or "")).split()),
        date=date,
        sender=_addresses(message, "from", warnings),
        to=_addresses(message, "to", warnings),
        cc=_addresses(message, "cc", warnings),
        bcc=_addresses(message, "bcc", warnings),
        body=clean(body).strip(),
        attachments=_attachments(message),
        warnings=warnings,
    )


def _message_date(message: EmailMessage, warnings: list[str]) -> dates.PartialDate:
    """The Date header as a minute-precision point in the header's own zone; undated when missing or unreadable."""
    raw = message.get("date")
    if raw is None:
        warnings.append("The message has no Date header: the event is undated until you give it a date.")
        return dates.UNDATED
    moment = getattr(raw, "datetime", None)
    if moment is None:
        warnings.append(f"The Date header “{raw}” could not be read: the event is undated until you give it a date.")
        return dates.UNDATED
    raw_text = next((str(value) for name, value in message.raw_items() if name.lower() == "date"), str(raw))
    tz = _zone_of(moment, raw_text)
    try:
        point = dates.DatePoint(
            dates.Precision.MINUTE, moment.year, moment.month, moment.day, moment.hour, moment.minute, tz=tz
        )
    except ValidationError as error:
        warnings.append(f"The Date header “{raw}” is not a usable date ({error.messages[0]}).")
        return dates.UNDATED
    return dates.PartialDate(start=point)


def _zone_of(moment: dt.datetime, raw: str) -> str:
    """ "UTC", an IANA zone when the header's comment names one the offset confirms ("-0800 (PST)"), else "-08:00".

    "-0000" (RFC 5322: the time is UTC, the sender's zone unknown) gives a naive datetime and is read as UTC.
    """
    offset = moment.utcoffset()
    if offset is None or offset == dt.timedelta(0):
        return "UTC"
    if m := _ZONE_COMMENT_RE.search(raw):
        zone = dates.ZONE_ABBREVIATIONS.get(m[1].upper())
        if zone and zone != "UTC":
            local = moment.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(zone))
            if local.utcoffset() == offset:
                return zone
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _addresses(message: EmailMessage, name: str, warnings: list[str]) -> list[tuple[str, str]]:
    result = []
    for header in message.get_all(name, []):
        try:
            addresses = header.addresses
        except (AttributeError, TypeError, ValueError):
            warnings.append(f"The {name.title()} header “{header}” could not be read.")
            continue
        for address in addresses:
            if isinstance(address, Address):
                result.append((" ".join(clean(address.display_name).split()), clean(address.addr_spec).strip("<>")))
    return result


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for n, part in enumerate(message.iter_attachments(), start=1):
        if part.get_content_maintype() == "message":  # a forwarded message: kept whole, as an .eml of its own
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        elif part.is_multipart():
            continue
        else:
            content = part.get_payload(decode=True) or b""
        found.append(
            Attachment(
                filename=_safe_filename(part.get_filename(), n, part.get_content_type()),
                content=content,
                declared_type=part.get_content_type(),
            )
        )
    return found


def _safe_filename(name: str | None, n: int, content_type: str) -> str:
    """The attachment's own name, cleaned by the text rule, without any directory part, line break or tab; a made-up
    one if it has none."""
    name = _UNSAFE_FILENAME_RE.sub("", clean((name or "").replace("\\", "/").rsplit("/", 1)[-1])).strip(" .")
    if not name:
        extension = ".eml" if content_type == EMAIL_MEDIA_TYPE else mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{n}{extension}"
    return name[:255]


def actor_name(display_name: str, address: str) -> str:
    """ "Ann Lee <ann@x.example>" -> "Ann Lee (ann@x.example)", as the proposal's description and the message's author
    name a participant; a bare address stays as it is."""
    text = f"{display_name} ({address})" if display_name and address else (display_name or address)
    return text[:ACTOR_MAX]


def propose_event(parsed: ParsedEmail, *, actors: list[str] | None = None) -> EventProposal:
    """The event a paralegal would log for this message (see the module docstring). `actors`: the names of its
    participants as matched to the matter's actors (evidence.actor_matching.email_participants); without them, each
    participant's display name, or address when it has none."""
    if actors is None:
        seen: dict[str, str] = {}
        for display_name, address in parsed.participants:
            name = " ".join((display_name or address).split())[:ACTOR_MAX]
            if name:
                seen.setdefault(name.casefold(), name)
        actors = list(seen.values())
    sender = ", ".join(actor_name(*a) for a in parsed.sender) or "an unknown sender"
    title = parsed.subject or f"E-mail from {sender} (no subject)"
    lines = [f"E-mail from {sender}"]
    if parsed.to:
        lines.append("To: " + ", ".join(actor_name(*a) for a in parsed.to))
    if parsed.cc:
        lines.append("Cc: " + ", ".join(actor_name(*a) for a in parsed.cc))
    if parsed.attachments:
        lines.append("Attachments: " + ", ".join(a.filename for a in parsed.attachments))
    if parsed.body:
        body = parsed.body[:DESCRIPTION_BODY_CHARS]
        lines += ["", body + ("…" if len(parsed.body) > DESCRIPTION_BODY_CHARS else "")]
    return EventProposal(
        date=parsed.date,
        title=title[:TITLE_MAX],
        kind=_kind(parsed),
        actors=actors,
        description="\n".join(lines),
        warnings=list(parsed.warnings),
    )


def _kind(parsed: ParsedEmail) -> str:
    """Internal when every address (sender and all recipients) is at one domain; otherwise a user communication."""
    domains = {address.rsplit("@", 1)[-1].lower() for _, address in parsed.participants if "@" in address}
    recipients = [*parsed.to, *parsed.cc, *parsed.bcc]
    if recipients and parsed.sender and len(domains) == 1:
        return EventKind.INTERNAL_COMMUNICATION
    return EventKind.USER_COMMUNICATION


def read_stored(document) -> ParsedEmail:
    """Parse the stored file of an e-mail document."""
    with document.file.open("rb") as fh:
        return parse_email(fh.read())
