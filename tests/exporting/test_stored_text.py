"""Stored text never breaks an export, and names and titles never reorder what a reader sees (evidence/text.py as
the exporters apply it): every format is read back the way its reader would read it."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import docx
import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from evidence.exporting import ExportOptions, export_chronology
from evidence.exporting.timeline import render_timeline_svg
from evidence.models import Actor, Citation, Document, Event, Issue, Matter
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from tests.exporting.readback import flat, pdftotext
from tests.factories import make_document, make_event, make_matter

RLO = "\u202e"
SHOWN = "invoice[U+202E]exe.pdf"
# What XML 1.0 refuses, as a row written before the text rule may hold it. PostgreSQL refuses NUL itself, and no
# database stores a lone surrogate: those reach no row (tests/test_text.py shows the rule replaces them).
REFUSED = "".join(chr(c) for c in range(0x01, 0x20)) + "\x7f\x85\x9f\ufffe\uffff"
if connection.vendor == "sqlite":
    REFUSED = "\x00" + REFUSED
# The characters an export may never contain (tab and line feed are text).
FORBIDDEN = set(REFUSED) - {"\t", "\n"}


def bad(word: str) -> str:
    return f"{word}<{REFUSED}>end{word}"  # no hyphen: pdftotext drops one at the end of a line


def export(matter, user, fmt: str) -> bytes:
    options = ExportOptions(format=fmt, filters=TimelineFilters(include_privileged=True))
    return export_chronology(matter=matter, user=user, options=options).content


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    parts += [document.core_properties.title, document.core_properties.subject]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def stored_before_the_rule(user):
    """A matter whose every kind of text holds what XML refuses, written past the services as an old row would be."""
    matter = make_matter(owner=user, short_title="Doe v. Acme")
    document = make_document(matter, content=b"exhibit", filename="memo.txt", title="Memo")
    event = make_event(matter, title="Title", actors=["Actor"], issues=["Issue"], date="Aug 2024")
    citation_create(event=event, document=document, pinpoint="p. 1", note="Note", user=user, reason="test")
    Matter.objects.filter(pk=matter.pk).update(
        short_title=bad("Short"), court=bad("Court"), case_number=bad("Case"), parties=bad("Party"),
        confidentiality_legend=bad("Legend"),
    )  # fmt: skip
    Event.objects.filter(pk=event.pk).update(
        title=bad("Title"), description=bad("Description"), source_note=bad("Source"), external_id=bad("Id")
    )
    Actor.objects.filter(matter=matter).update(name=bad("Actor"))
    Issue.objects.filter(matter=matter).update(name=bad("Issue"))
    Document.objects.filter(pk=document.pk).update(title=bad("Memo"), bates_start=bad("Bt"))  # within its 50 characters
    Citation.objects.filter(event=event).update(pinpoint=bad("Pin"), note=bad("Note"))
    event.refresh_from_db()
    assert event.title == bad("Title")  # the database kept it, as an old row would have it
    return Matter.objects.get(pk=matter.pk)


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx", "docx"])
def test_every_format_exports_a_row_stored_before_the_rule(stored_before_the_rule, user, fmt):
    content = export(stored_before_the_rule, user, fmt)
    if fmt == "pdf":
        text = pdftotext(content).replace("\f", "")  # pdftotext ends each page with a form feed
    elif fmt == "csv":
        text = content.decode("utf-8")
    elif fmt == "xlsx":
        text = xlsx_text(content)
    else:
        text = docx_text(content)
    words = ["Title", "Description", "Source", "Actor", "Pin", "Note"]
    if fmt in ("pdf", "docx"):
        words += ["Short", "Court", "Case", "Party", "Legend", "Memo"]
    if fmt in ("csv", "xlsx"):
        words += ["Issue", "Id"]
    lower = text.lower()  # the court is printed in capitals
    for word in words:
        assert f"{word}<".lower() in lower and f">end{word}".lower() in lower, word
    assert not FORBIDDEN & set(text.replace("\r\n", "\n") if fmt == "csv" else text)
    # A control character in a name or title is written out, as on the pages; elsewhere it is replaced.
    if fmt != "pdf":  # pdftotext reads "[U+0007]" back, but may break it across lines
        assert "Title<" + "[U+0001]" in text or "Title<[U+0000][U+0001]" in text
        assert "Description<\ufffd" in text


def test_the_timeline_svg_of_such_a_row_is_well_formed_xml(stored_before_the_rule):
    svg = render_timeline_svg(Event.objects.filter(matter=stored_before_the_rule))
    root = ET.fromstring(svg)  # raises on any character XML refuses
    tips = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(tip.endswith(">endTitle") and "[U+0007]" in tip for tip in tips)


def test_the_timeline_page_shows_such_a_row(client, stored_before_the_rule, user):
    client.force_login(user)
    page = client.get(reverse("timeline", args=[stored_before_the_rule.slug]))
    assert page.status_code == 200
    assert "Title&lt;[U+0001]" in page.content.decode() or "Title&lt;[U+0000][U+0001]" in page.content.decode()


@pytest.fixture
def bidi_matter(user):
    """Every name and title a reader sees holds a right-to-left override: "invoice\u202eexe.pdf" reads as
    "invoicefdp.exe" where it is obeyed."""
    name = f"invoice{RLO}exe.pdf"
    matter = make_matter(owner=user, short_title=f"Caption {name}", court=f"Court {name}", case_number="24-CV-1")
    document = make_document(matter, content=b"exhibit", filename=name, title=f"Document {name}")
    event = make_event(matter, title=name, actors=[f"Actor {name}"], issues=[f"Issue {name}"], date="Aug 2024")
    citation_create(event=event, document=document, pinpoint="p. 1", user=user, reason="test")
    return matter


def read(client, name: str, *args) -> str:
    """The page as a reader sees it: the values of the filter boxes are the names themselves, and are not shown."""
    page = client.get(reverse(name, args=args)).content.decode()
    return re.sub(r'value="[^"]*"', "", page)


def test_a_bidi_control_in_a_title_is_shown_on_the_timeline_page(client, bidi_matter, user):
    client.force_login(user)
    page = read(client, "timeline", bidi_matter.slug)
    for text in (SHOWN, f"Actor {SHOWN}", f"Issue {SHOWN}", f"Caption {SHOWN}", f"Court {SHOWN}"):
        assert text in page, text
    assert RLO not in page
    event = Event.objects.get(matter=bidi_matter)
    detail = read(client, "event_detail", bidi_matter.slug, event.pk)  # its history lists the title as well
    assert SHOWN in detail and f"Document {SHOWN}" in detail and RLO not in detail


def test_a_bidi_control_in_a_title_is_shown_in_the_pdf(bidi_matter, user):
    text = flat(pdftotext(export(bidi_matter, user, "pdf")))
    for shown in (SHOWN, f"Actor {SHOWN}", f"Document {SHOWN}", f"Caption {SHOWN}", f"COURT {SHOWN.upper()}"):
        assert shown in text, shown
    assert RLO not in text


def test_a_bidi_control_in_a_title_is_shown_in_the_word_document(bidi_matter, user):
    text = docx_text(export(bidi_matter, user, "docx"))
    for shown in (SHOWN, f"Actor {SHOWN}", f"Document {SHOWN}", f"Caption {SHOWN}", f"COURT {SHOWN.upper()}"):
        assert shown in text, shown
    assert RLO not in text


def test_a_bidi_control_in_a_title_is_shown_in_the_spreadsheets(bidi_matter, user):
    sheet = openpyxl.load_workbook(io.BytesIO(export(bidi_matter, user, "xlsx"))).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (row["title"], row["actors"], row["issues"]) == (SHOWN, f"Actor {SHOWN}", f"Issue {SHOWN}")
    (csv_row,) = csv.DictReader(io.StringIO(export(bidi_matter, user, "csv").decode("utf-8")))
    assert (csv_row["title"], csv_row["actors"], csv_row["issues"]) == (SHOWN, f"Actor {SHOWN}", f"Issue {SHOWN}")


def test_a_bidi_control_in_a_title_is_shown_in_the_timeline_svg(bidi_matter):
    root = ET.fromstring(render_timeline_svg(Event.objects.filter(matter=bidi_matter)))
    drawn = " ".join("".join(t.itertext()) for t in root.iter())
    assert SHOWN in drawn and RLO not in drawn
