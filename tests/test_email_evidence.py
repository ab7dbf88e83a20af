"""E-mail evidence: parsing an .eml into a proposal, and the intake of the message and its attachments."""

import base64
import io
from email.message import EmailMessage

import pytest

from evidence import dates, email_evidence
from evidence.models import Citation, Document, EventKind
from evidence.services.email import email_event_create, email_intake
from tests.factories import make_pdf

pytestmark = pytest.mark.django_db


def make_eml(
    *,
    subject="<script>alert('x')</script> Opt-in for AI training",
    sender="José Müller <jose@linkedin.example>",
    to="Ann Lee <ann@linkedin.example>",
    cc=None,
    date="Tue, 21 Jan 2025 09:30:59 -0800",
    attachments=(("memo.pdf", b"%PDF-1.4 the memo", "application", "pdf"),),
    body="Please see the attached memo.\nRegards",
) -> bytes:
    message = EmailMessage()
    if subject is not None:
        message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    if date is not None:
        message["Date"] = date
    message["Message-ID"] = "<1@linkedin.example>"
    message.set_content(body)
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


# Parsing -----------------------------------------------------------------------------------------------------------


def test_proposal_from_a_multipart_message():
    parsed = email_evidence.parse_email(make_eml())
    proposal = email_evidence.propose_event(parsed)

    assert proposal.title == "<script>alert('x')</script> Opt-in for AI training"  # kept as text; templates escape it
    assert proposal.date.start == dates.DatePoint(dates.Precision.MINUTE, 2025, 1, 21, 9, 30, tz="-08:00")
    assert proposal.date.display() == "Jan 21, 2025, 9:30 AM UTC-08:00"  # seconds dropped, never rounded
    assert proposal.actors == ["José Müller", "Ann Lee"]  # the addresses are kept with the actors, not in their names
    assert proposal.kind == EventKind.INTERNAL_COMMUNICATION
    assert "Attachments: memo.pdf" in proposal.description
    assert "Please see the attached memo." in proposal.description
    assert [(a.filename, a.content) for a in parsed.attachments] == [("memo.pdf", b"%PDF-1.4 the memo")]


def test_recipient_at_another_domain_makes_a_user_communication():
    parsed = email_evidence.parse_email(make_eml(to="Ann Lee <ann@linkedin.example>", cc="member@gmail.example"))
    proposal = email_evidence.propose_event(parsed)
    assert proposal.kind == EventKind.USER_COMMUNICATION
    assert proposal.actors[-1] == "member@gmail.example"


def test_missing_date_header_gives_an_undated_proposal_with_a_warning():
    proposal = email_evidence.propose_event(email_evidence.parse_email(make_eml(date=None)))
    assert proposal.date.undated
    assert "no Date header" in proposal.warnings[0]


def test_unreadable_date_header_gives_an_undated_proposal():
    proposal = email_evidence.propose_event(email_evidence.parse_email(make_eml(date="sometime last week")))
    assert proposal.date.undated
    assert "could not be read" in proposal.warnings[0]


@pytest.mark.parametrize(
    "header, tz, display",
    [
        ("Tue, 21 Jan 2025 09:30:00 -0800 (PST)", "America/Los_Angeles", "Jan 21, 2025, 9:30 AM PST"),
        ("Tue, 21 Jan 2025 09:30:00 -0700 (PST)", "-07:00", "Jan 21, 2025, 9:30 AM UTC-07:00"),  # comment contradicts
        ("Tue, 21 Jan 2025 09:30:00 +0000", "UTC", "Jan 21, 2025, 9:30 AM UTC"),
        ("Tue, 21 Jan 2025 09:30:00 -0000", "UTC", "Jan 21, 2025, 9:30 AM UTC"),
        ("Tue, 21 Jan 2025 21:05:00 +0530", "+05:30", "Jan 21, 2025, 9:05 PM UTC+05:30"),
    ],
)
def test_date_header_zone(header, tz, display):
    # written raw: EmailMessage would normalise the header and drop its "(PST)" comment
    parsed = email_evidence.parse_email(f"Date: {header}\n".encode() + make_eml(date=None))
    assert parsed.date.start.tz == tz
    assert parsed.date.display() == display
    assert dates.parse(display) == parsed.date  # the pre-filled form text reads back to the same date


def test_non_ascii_names_and_missing_subject():
    parsed = email_evidence.parse_email(make_eml(subject=None, sender="Zoë Ångström <zoe@linkedin.example>"))
    proposal = email_evidence.propose_event(parsed)
    assert proposal.title == "E-mail from Zoë Ångström (zoe@linkedin.example) (no subject)"
    assert proposal.actors[0] == "Zoë Ångström"


def test_attachment_names_lose_directories_and_get_one_when_missing():
    message = EmailMessage()
    message["From"] = "a@x.example"
    message["To"] = "b@x.example"
    message["Subject"] = "files"
    message.set_content("body")
    message.add_attachment(b"one", maintype="text", subtype="plain", filename="../../etc/passwd")
    message.add_attachment(b"\x89PNG two", maintype="image", subtype="png")
    parsed = email_evidence.parse_email(message.as_bytes())
    assert [a.filename for a in parsed.attachments] == ["passwd", "attachment-2.png"]


def test_a_file_that_is_not_a_message_is_refused():
    with pytest.raises(Exception, match="not an e-mail message"):
        email_evidence.parse_email(b"just some notes\nnothing else")


# Intake ------------------------------------------------------------------------------------------------------------


def test_email_intake_stores_the_message_and_its_attachments(matter, user):
    data = make_eml(
        attachments=[
            ("memo.pdf", b"%PDF-1.4 the memo", "application", "pdf"),
            ("empty.txt", b"", "text", "plain"),
            ("notes.txt", b"meeting notes", "text", "plain"),
        ]
    )
    result = email_intake(matter=matter, user=user, file=io.BytesIO(data), filename="optin.eml", reason="upload")

    message = result.message.document
    assert result.message.created
    assert message.exhibit_number == 1
    assert message.title == "<script>alert('x')</script> Opt-in for AI training"
    assert message.date_display == "Jan 21, 2025, 9:30 AM UTC-08:00"
    assert message.author == "José Müller (jose@linkedin.example)"
    assert email_evidence.looks_like_email(message)  # even though the sniffer may call it text/html
    outcomes = {o.filename: o for o in result.attachments}
    assert outcomes["memo.pdf"].result.document.exhibit_number == 2
    assert outcomes["memo.pdf"].result.document.media_type == "application/pdf"
    assert outcomes["memo.pdf"].result.document.date.undated  # the sending date is not the attachment's date
    assert "empty" in outcomes["empty.txt"].error and outcomes["empty.txt"].result is None
    assert outcomes["notes.txt"].result.document.exhibit_number == 3
    assert not Citation.objects.exists()  # attachments cite nothing until the paralegal cites them

    again = email_intake(matter=matter, user=user, file=io.BytesIO(data), filename="optin.eml", reason="upload")
    assert not again.message.created and again.message.document == message
    assert Document.objects.filter(matter=matter).count() == 3


def test_a_pdf_attachment_has_its_page_count(matter, user):
    data = make_eml(attachments=[("contract.pdf", make_pdf(12), "application", "pdf")])
    result = email_intake(matter=matter, user=user, file=io.BytesIO(data), filename="m.eml", reason="upload")
    assert result.attachments[0].result.document.page_count == 12
    assert result.message.document.page_count is None  # the message itself has no pages


def test_headers_names_and_body_are_read_through_the_text_rule():
    def word(text):  # an RFC 2047 encoded word: it can carry any character at all
        return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="

    data = (
        f"Subject: {word('Opt-in\x00 for\x07 AI \u202etraining')}\r\n"
        f"From: {word('Jos\x1bé')} <jose@linkedin.example>\r\n"
        "To: ann@linkedin.example\r\nDate: Tue, 21 Jan 2025 09:30:59 -0800\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nline one\x0cline two\x01\r\n"
        "--b\r\nContent-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename*=utf-8''memo%C2%85%EF%BF%BE.pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n"
    ).encode()
    parsed = email_evidence.parse_email(data)
    assert parsed.subject == "Opt-in for\ufffd AI \u202etraining"  # the bidi control is kept, to be shown
    assert parsed.sender == [("Jos\ufffdé", "jose@linkedin.example")]
    assert parsed.body == "line one\nline two\ufffd"
    assert [a.filename for a in parsed.attachments] == ["memo\ufffd.pdf"]  # NEL, a line break, has no place in a name


def test_a_non_email_eml_is_kept_as_a_plain_document(matter, user):
    result = email_intake(matter=matter, user=user, file=io.BytesIO(b"not mail"), filename="x.eml", reason="upload")
    assert result.parsed is None and result.message.created and result.attachments == []


def test_confirmed_proposal_creates_the_event_citing_the_message(matter, user):
    result = email_intake(matter=matter, user=user, file=io.BytesIO(make_eml()), filename="m.eml", reason="upload")
    proposal = email_evidence.propose_event(result.parsed)
    event = email_event_create(
        matter=matter,
        user=user,
        document=result.message.document,
        date=proposal.date,
        title=proposal.title,
        kind=proposal.kind,
        actors=proposal.actors,
        description=proposal.description,
        reason="e-mail evidence confirmed",
    )
    assert event.date_display == "Jan 21, 2025, 9:30 AM UTC-08:00"
    assert sorted(a.name for a in event.actors.all()) == sorted(proposal.actors)
    assert [c.document for c in event.citations.all()] == [result.message.document]
    assert event.history.first().history_change_reason == "e-mail evidence confirmed"
