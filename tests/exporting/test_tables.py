"""CSV and XLSX exports: the importer's columns, exact values, and formula neutralisation that keeps data intact."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from evidence.exporting import ExportOptions, export_chronology
from evidence.exporting.tables import COLUMNS, neutralise
from evidence.models import Matter, Role
from evidence.selectors import TimelineFilters
from evidence.services.chain import chain_head
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event

HEADER = ("no,date,date_start,date_end,precision,approximate,bound,time_zone,kind,status,key,privileged,title,"
          "description,actors,issues,citations,source_note,external_id,history_chain")  # fmt: skip


def export(matter, user, fmt="csv", **options):
    return export_chronology(matter=matter, user=user, options=ExportOptions(format=fmt, **options))


def read_csv(content: bytes) -> list[dict]:
    assert not content.startswith(b"\xef\xbb\xbf")  # no BOM: the first column is "no"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def test_demo_csv_columns_and_values(db):
    call_command("load_demo", stdout=io.StringIO())
    matter = Matter.objects.get(slug="linkedin-ai-training")
    user = matter.memberships.get(role=Role.OWNER).user
    result = export(matter, user)
    assert result.media_type.startswith("text/csv")
    assert result.filename.startswith("linkedin-ai-training-chronology-") and result.filename.endswith(".csv")
    assert result.content.decode().splitlines()[0] == HEADER
    rows = read_csv(result.content)
    assert [r["no"] for r in rows] == [str(n) for n in range(1, 8)]
    assert {r.pop("history_chain") for r in rows} == {chain_head(matter).head_text}
    by_id = {r["external_id"]: r for r in rows}
    assert by_id["demo-setting"] == {
        "no": "2",
        "date": "Aug 2024",
        "date_start": "2024-08",
        "date_end": "",
        "precision": "month",
        "approximate": "no",
        "bound": "",
        "time_zone": "",
        "kind": "setting_introduced",
        "status": "disputed",
        "key": "yes",
        "privileged": "no",
        "title": "LinkedIn introduces a privacy setting that opts users into sharing their data for AI training",
        "description": by_id["demo-setting"]["description"],
        "actors": "LinkedIn",
        "issues": "AI training; consent; notice",
        "citations": "PX-1 ¶ 2",
        "source_note": "",
        "external_id": "demo-setting",
    }
    assert by_id["demo-setting"]["description"].startswith("The complaint alleges that LinkedIn introduced")
    assert (by_id["demo-policy"]["date"], by_id["demo-policy"]["approximate"]) == ("c. Sept 2024", "yes")
    assert (by_id["demo-email"]["date_start"], by_id["demo-email"]["precision"]) == ("2024", "year")
    undated = by_id["demo-faq"]
    assert (undated["date"], undated["date_start"], undated["precision"], undated["no"]) == (
        "Date unknown",
        "",
        "",
        "6",
    )


def test_partial_date_forms(matter, user):
    make_event(matter, date="Jan 24, 2025, 9:30 AM PST", title="Minute")
    make_event(matter, date="Aug – Sept 2024", title="Range")
    make_event(matter, date="after Aug 2024", title="Bound")
    make_event(matter, date="2024-08-15 10:00 -08:00", title="Offset")
    rows = {r["title"]: r for r in read_csv(export(matter, user).content)}
    minute = rows["Minute"]
    assert (minute["date_start"], minute["precision"], minute["time_zone"]) == (
        "2025-01-24T09:30", "minute", "America/Los_Angeles")  # fmt: skip
    assert minute["date"] == "Jan 24, 2025, 9:30 AM PST"
    assert (rows["Range"]["date_start"], rows["Range"]["date_end"], rows["Range"]["date"]) == (
        "2024-08", "2024-09", "Aug – Sept 2024")  # fmt: skip
    assert (rows["Bound"]["bound"], rows["Bound"]["date_start"]) == ("after", "2024-08")
    # A zone offset is data: not neutralised, read back unchanged.
    assert rows["Offset"]["time_zone"] == "-08:00"
    assert rows["Offset"]["date_start"] == "2024-08-15T10:00"


def test_formula_injection_is_neutralised_and_readable(matter, user):
    doc = make_document(matter, content=b"x", filename="x.txt")
    event = make_event(
        matter,
        title='=HYPERLINK("http://evil.example","click")',
        description="+1 555 0100 call",
        source_note="@SUM(A1:A2)",
        actors=["-Mallory"],
        issues=["\tTabbed"],
        external_id="=ext-1",
    )
    citation_create(event=event, document=doc, pinpoint="p. 1", user=user, reason="test")
    make_event(matter, title="Safe title", description="\rcarriage")
    rows = read_csv(export(matter, user).content)
    row = rows[0] if rows[0]["title"].startswith("'") else rows[1]
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["description"] == "'+1 555 0100 call"
    assert row["source_note"] == "'@SUM(A1:A2)"
    assert row["actors"] == "'-Mallory"
    assert row["external_id"] == "'=ext-1"
    assert row["citations"] == "PX-1 p. 1"
    other = rows[1] if row is rows[0] else rows[0]
    # The carriage return became a line break at intake (evidence.text), which starts no formula.
    assert other["title"] == "Safe title" and other["description"] == "\ncarriage"
    assert neutralise("-08:00") == "'-08:00" and neutralise("Aug 2024") == "Aug 2024"
    assert neutralise("\rcarriage") == "'\rcarriage" and neutralise("\tTabbed") == "'\tTabbed"


def test_xlsx_has_the_same_rows_as_text_cells(matter, user):
    make_event(matter, title="=1+1", date="Aug 15, 2024", is_key=True, actors=["Alice", "Bob"])
    make_event(matter, title="Plain", date="2024-08-15 10:00 -08:00")
    result = export(matter, user, "xlsx")
    assert result.filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(result.content)).active
    assert sheet.title == "Chronology"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == COLUMNS
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    csv_rows = read_csv(export(matter, user).content)
    for sheet_row, csv_row in zip(values[1:], csv_rows, strict=True):
        as_text = ["" if v is None else str(v) for v in sheet_row]
        assert as_text == [csv_row[c] for c in COLUMNS]
    assert values[1][COLUMNS.index("title")] == "'=1+1"
    assert values[1][COLUMNS.index("actors")] == "Alice; Bob"
    assert values[2][COLUMNS.index("time_zone")] == "-08:00"


def test_privileged_rows_only_when_asked(matter, user):
    make_event(matter, title="Open")
    make_event(matter, title="Secret", is_privileged=True)
    assert [r["title"] for r in read_csv(export(matter, user).content)] == ["Open"]
    rows = read_csv(export(matter, user, filters=TimelineFilters(include_privileged=True)).content)
    assert [(r["title"], r["privileged"]) for r in rows] == [("Open", "no"), ("Secret", "yes")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_empty_matter_exports_the_header(matter, user, fmt):
    content = export(matter, user, fmt).content
    if fmt == "csv":
        assert content.decode().strip() == HEADER
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert [c.value for c in next(sheet.iter_rows())] == list(COLUMNS)


@pytest.mark.parametrize(("paper", "size"), [("letter", 1), ("a4", 9)])
def test_xlsx_prints_landscape_fit_to_width_with_the_header_on_every_page(matter, user, paper, size):
    make_event(matter, title="Policy amended", date="Aug 2024", description="A long description. " * 30,
               actors=["Alice"], issues=["notice"], source_note="Complaint ¶ 2")  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(export(matter, user, "xlsx", paper=paper).content))
    sheet = book.active
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", size)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"  # the header row repeated at the top of every printed page
    assert sheet.oddFooter.center.text == "Page &P of &N"
    row = dict(zip(COLUMNS, next(sheet.iter_rows(min_row=2)), strict=True))
    for name in ("date", "title", "description", "actors", "issues", "citations", "source_note"):
        assert row[name].alignment.wrap_text, name
    assert not row["date_start"].alignment.wrap_text
