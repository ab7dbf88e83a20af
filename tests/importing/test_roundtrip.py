"""Export a matter's chronology, import it into an empty matter with the same exhibits, export again: the same rows."""

import io

import pytest
from django.core.management import call_command

from evidence.exporting import ExportOptions, export_chronology
from evidence.importing import import_events, read_table
from evidence.models import Event, Matter
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake, document_update
from tests.factories import make_document, make_event, make_matter


def export(matter, user, fmt):
    options = ExportOptions(format=fmt, filters=TimelineFilters(include_privileged=True))
    return export_chronology(matter=matter, user=user, options=options).content


def with_exhibits(matter):
    return [
        make_document(matter, content=f"exhibit {n} of {matter.slug}".encode(), filename=f"ex{n}.txt")
        for n in (1, 2, 3)
    ]


@pytest.fixture
def rich_matter(user):
    matter = make_matter(owner=user, short_title="Source")
    px1, px2, px3 = with_exhibits(matter)
    document_update(document=px3, user=user, reason="test", is_privileged=True)
    events = [
        make_event(
            matter,
            date="Aug 2024",
            title="Setting introduced",
            kind="setting_introduced",
            status="disputed",
            is_key=True,
            actors=["LinkedIn"],
            issues=["consent", "privacy, consent"],
            external_id="demo-1",
        ),
        make_event(
            matter,
            date="c. Sept 2024",
            title="Policy amended",
            kind="policy_edit",
            description="Line one\nLine two, with a comma and “quotes”",
            source_note="Complaint ¶ 3",
        ),
        make_event(
            matter, date="after Aug 2024", title='=HYPERLINK("x")', description="-5 points", actors=["Doe, John"]
        ),
        make_event(matter, date="Aug – Sept 2024", title="A range", issues=["notice"]),
        make_event(matter, date="Jan 24, 2025, 9:30 AM PST", title="A minute in the matter's zone"),
        make_event(matter, date="2025-01-24 17:30 -08:00", title="A minute at an offset"),
        make_event(matter, date="2024", title="A year", is_privileged=True, kind="internal_communication"),
        make_event(matter, date="unknown", title="Undated, but kept", status="undisputed"),
        make_event(matter, date="before Jan 21, 2025", title="@mention-looking title", source_note="Dkt. 1; Dkt. 7"),
    ]
    for event, document, pinpoint in (
        (events[0], px1, "¶ 2"),
        (events[0], px2, ""),
        (events[1], px1, "p. 3"),
        (events[6], px3, "ACME_000123"),
    ):
        citation_create(event=event, document=document, pinpoint=pinpoint, user=user, reason="test")
    return matter


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_export_gives_the_same_rows(rich_matter, user, fmt):
    first = export(rich_matter, user, fmt)
    target = make_matter(owner=user, short_title="Target", time_zone=rich_matter.time_zone)
    with_exhibits(target)
    result = import_events(read_table(first, name=f"chronology.{fmt}"), matter=target, user=user)
    assert result.plan.errors == [] and result.plan.columns.unrecognised == []
    assert result.counts == {"new": 9, "updated": 0, "unchanged": 0, "invalid": 0}
    second = export(target, user, fmt)
    # the same rows; only the history chain head differs, each matter having its own chain
    if fmt == "csv":
        assert _csv_rows(second) == _csv_rows(first)
    else:
        assert _cells(second) == _cells(first)
    # and once more: nothing changes
    again = import_events(read_table(second, name=f"chronology.{fmt}"), matter=target, user=user)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 9, "invalid": 0}


def _csv_rows(content: bytes):
    import csv

    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    chain = rows[0].index("history_chain")
    return [row[:chain] + row[chain + 1 :] for row in rows]


def _cells(xlsx: bytes):
    import openpyxl

    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows()]
    chain = rows[0].index("history_chain")
    return [row[:chain] + row[chain + 1 :] for row in rows]


def test_round_trip_of_the_demo_matter_through_the_command(db, tmp_path, user):
    call_command("load_demo", stdout=io.StringIO())
    demo = Matter.objects.get(slug="linkedin-ai-training")
    paralegal = demo.memberships.get().user
    first = export(demo, paralegal, "csv")
    path = tmp_path / "demo.csv"
    path.write_bytes(first)
    target = make_matter(owner=paralegal, slug="copy", time_zone=demo.time_zone)
    with demo.documents.get(exhibit_number=1).file.open("rb") as fh:
        document_intake(matter=target, user=paralegal, file=fh, filename="article.txt", reason="test")
    call_command("import_events", str(path), "--matter", "copy", "--user", paralegal.username, stdout=io.StringIO())
    assert _csv_rows(export(target, paralegal, "csv")) == _csv_rows(first)
    assert Event.objects.filter(matter=target).count() == Event.objects.filter(matter=demo).count()
