"""One instant is written one way in every output: the page, the event's history, the visual timeline, CSV, XLSX, Word
and PDF, whether its time was typed, imported or read from an e-mail header."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence import email_evidence
from evidence.exporting import ExportOptions, export_chronology
from evidence.exporting.timeline import render_timeline_svg
from evidence.selectors import TimelineFilters, events_for_timeline
from evidence.services.events import event_update
from tests.exporting.readback import flat, pdftotext
from tests.factories import make_event

SHOWN = "Sept 18, 2024, 2:05 PM PDT"
HEADER = b"Date: Wed, 18 Sep 2024 14:05:00 -0700 (PDT)\nFrom: a@example.com\nSubject: s\n\nbody\n"


@pytest.fixture
def three_ways(matter, user, tmp_path):
    """The same instant typed, imported from a spreadsheet and read from an e-mail's Date header."""
    make_event(matter, date="9/18/2024 2:05pm PT", title="Typed")
    sheet = tmp_path / "events.csv"
    sheet.write_text("Date,Title\n2024-09-18 14:05 America/Los_Angeles,Imported\n", encoding="utf-8")
    call_command("import_events", str(sheet), matter=matter.slug, user=user.username, stdout=io.StringIO())
    make_event(matter, date=email_evidence.parse_email(HEADER).date, title="From an e-mail")
    return matter


def _export(matter, user, fmt):
    options = ExportOptions(format=fmt, filters=TimelineFilters(include_privileged=True))
    return export_chronology(matter=matter, user=user, options=options).content


def test_the_page_the_history_and_the_visual_timeline(three_ways, client, user):
    matter = three_ways
    client.force_login(user)
    page = client.get(reverse("timeline", args=[matter.slug])).content.decode()
    assert page.count(SHOWN) >= 3 and "Sep 18" not in page
    event = events_for_timeline(matter=matter).first()
    event_update(event=event, user=user, reason="date corrected", date="Sept 19, 2024")
    history = client.get(reverse("event_detail", args=[matter.slug, event.pk])).content.decode()
    assert SHOWN in history and "Sept 19, 2024" in history
    svg = str(render_timeline_svg(events_for_timeline(matter=matter)))
    assert svg.count(SHOWN) >= 2


def test_csv_xlsx_and_word(three_ways, user):
    rows = list(csv.DictReader(io.StringIO(_export(three_ways, user, "csv").decode("utf-8-sig"))))
    assert [row["date"] for row in rows] == [SHOWN] * 3
    sheet = openpyxl.load_workbook(io.BytesIO(_export(three_ways, user, "xlsx"))).active
    assert [c.value for c in sheet["B"]].count(SHOWN) == 3
    with zipfile.ZipFile(io.BytesIO(_export(three_ways, user, "docx"))) as docx:
        assert docx.read("word/document.xml").decode().count(SHOWN) == 3


def test_pdf(three_ways, user):
    text = flat(pdftotext(_export(three_ways, user, "pdf")))
    assert text.count(SHOWN) >= 3 and "Sep 18" not in text  # the table, and labels of the visual timeline
