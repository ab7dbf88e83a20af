"""Headers as chronologies are written (evidence/importing/columns.py) and the dates under them
(evidence/importing/date_columns.py): "Date of Event", "Event Description", "Source / Exhibit", "Bates No.",
"Fact #", "Date (approx.)", and CaseMap's own date forms."""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook

from evidence.importing.columns import match_columns
from evidence.models import Event
from tests.importing.support import run, stored
from tests.importing.test_same_headers import command


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Source / Exhibit", "sources"), ("Exhibit/Source", "sources"), ("Doc Ref", "sources"),
        ("Doc. Ref.", "sources"), ("Exhibit No.", "sources"), ("Exhibit #", "sources"), ("Ex.", "sources"),
        ("Bates", "source_note"), ("Bates No.", "source_note"), ("Bates #", "source_note"),
        ("Bates Range", "source_note"), ("Date of Event", "date"), ("Date (approx.)", "date"),
        ("Approx. Date", "date"), ("Event Description", "title"), ("Fact #", "external_id"),
        ("Fact No.", "external_id"), ("Seq.", "external_id"),
    ],
)  # fmt: skip
def test_headers_as_people_write_them(header, field):
    """Each header alone beside the columns a file needs; the stand-ins take the missing field's place."""
    others = [h for h in ("Date", "Title") if field not in match_columns([h]).by_field]
    found = match_columns([header, *others]).by_field
    assert found[field] == header


def test_fact_number_is_no_title_and_a_row_number_is_no_id():
    """ "Fact #" once read as "Fact" (the title) because punctuation was dropped; "#" is "No." now."""
    columns = match_columns(["Fact #", "No.", "#", "Date & Time", "Fact Text"])
    assert columns.by_field == {"external_id": "Fact #", "date": "Date & Time", "title": "Fact Text"}
    assert not columns.duplicates and not columns.unrecognised


def test_a_chronology_written_with_common_headers_imports(matter, user, exhibit):
    data = (
        "Date of Event,Event Description,Source / Exhibit,Bates No.\n"
        "08/??/2024,LinkedIn introduces the AI-training setting,1,LI_000123\n"
        "<06/15/2024,FAQ edited,Complaint ¶ 2,\n"
    ).encode()
    result = run(matter, user, "common.csv", data)
    assert result.written and result.counts["new"] == 2
    assert result.plan.notices == ["“Event Description” gives each event's title (the file has no title column)."]
    events = stored(matter)
    setting = events["LinkedIn introduces the AI-training setting"]
    assert setting.date_display == "Aug 2024"
    assert [(c.document.exhibit_label, c.pinpoint) for c in setting.citations.all()] == [("PX-1", "")]
    assert setting.source_note == "LI_000123"
    faq = events["FAQ edited"]
    assert (faq.date_display, faq.date_bound, faq.source_note) == ("before June 15, 2024", "before", "Complaint ¶ 2")


def test_event_description_beside_a_title_is_the_description(matter, user):
    data = b"Date,Event,Event Description\nAug 2024,Setting introduced,Users were opted in\n"
    run(matter, user, "both.csv", data)
    assert stored(matter)["Setting introduced"].description == "Users were opted in"


def test_fact_number_is_the_id_so_a_second_import_updates_instead_of_duplicating(matter, user):
    first = b"Fact #,Date,Fact Text\n1,Aug 2024,Setting introduced\n2,Sept 2024,Policy amended\n"
    result = run(matter, user, "facts.csv", first)
    assert "“Fact #” is kept as each event's id (the file has no ID column): importing this sheet again updates " \
           "these events rather than adding them twice." in result.plan.notices  # fmt: skip
    edited = b"Fact #,Date,Fact Text\n1,Aug 2024,Setting introduced (opt-out hidden)\n2,Sept 2024,Policy amended\n"
    again = run(matter, user, "facts.csv", edited)
    assert again.counts == {"new": 0, "updated": 1, "unchanged": 1, "invalid": 0}
    assert sorted(Event.objects.filter(matter=matter).values_list("external_id", "title")) == [
        ("1", "Setting introduced (opt-out hidden)"), ("2", "Policy amended"),
    ]  # fmt: skip


def test_fact_number_beside_an_id_column_is_not_imported(matter, user):
    data = b"Fact #,ID,Date,Fact Text\n1,F-7,Aug 2024,Setting introduced\n"
    result = run(matter, user, "facts.csv", data)
    assert "Column “Fact #” was not imported: “ID” already gives the external id." in result.plan.notices
    assert stored(matter)["Setting introduced"].external_id == "F-7"


# -- Date (approx.) ----------------------------------------------------------------------------------------------


def test_every_date_of_a_date_approx_column_is_approximate_unless_the_row_says_no(matter, user):
    data = (
        "Date (approx.),Title,Approx\n"
        "Aug 2024,Setting introduced,\n"
        "09/18/2024,Policy amended,no\n"
        "2024-08-15 09:30,E-mail sent,\n"
        "Aug 1 – 15 2024,Range,\n"
        "TBD,Undated,\n"
        "<06/15/2024,Before,yes\n"
    ).encode()
    result = run(matter, user, "approx.csv", data)
    assert result.written
    assert result.plan.notices == ["Every date in “Date (approx.)” is read as approximate (“c.”), unless the row's "
                                   "“Approx” says no."]  # fmt: skip
    shown = {e.title: (e.date_display, e.date_approximate) for e in Event.objects.filter(matter=matter)}
    assert shown == {
        "Setting introduced": ("c. Aug 2024", True),
        "Policy amended": ("Sept 18, 2024", False),
        "E-mail sent": ("c. Aug 15, 2024, 9:30 AM PDT", True),
        "Range": ("c. Aug 1 – Aug 15, 2024", True),
        "Undated": ("Date unknown", False),
        "Before": ("c. before June 15, 2024", True),
    }


def test_date_approx_in_a_workbook_keeps_the_precision_of_its_date_cells(matter, user):
    data = xlsx([["Title", "Date (approx.)"], ["Letter sent", dt.datetime(2024, 8, 15)], ["Memo", "Sept 2024"]])
    result = run(matter, user, "approx.xlsx", data, dry_run=True)
    assert [r.date_display for r in result.plan.rows] == [
        "c. Aug 15, 2024 (day, approximate)", "c. Sept 2024 (month, approximate)",
    ]  # fmt: skip


def test_a_row_saying_approximate_both_ways_is_refused(matter, user):
    data = b"Date (approx.),Title,Approximate\nc. Aug 2024,Setting introduced,no\n"
    result = run(matter, user, "approx.csv", data)
    assert not result.written
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (2, "Approximate", "“c. Aug 2024” is approximate, but “Approximate” says “no”; change one of them")
    ]


def test_an_approximate_column_marks_a_plain_date_too(matter, user):
    data = b"Date,Title,Approx\nAug 2024,Setting introduced,Y\nSept 2024,Policy amended,\n"
    run(matter, user, "flag.csv", data)
    events = stored(matter)
    assert events["Setting introduced"].date_display == "c. Aug 2024"
    assert events["Policy amended"].date_display == "Sept 2024"


def test_date_approx_beside_date_gives_the_rows_without_one_and_a_row_with_both_is_refused(matter, user):
    data = b"Date,Date (approx.),Title\nAug 15 2024,,Exact\n,Sept 2024,Estimated\nOct 2024,Oct 2024,Both\n"
    result = run(matter, user, "two.csv", data, dry_run=True)
    assert "“Date (approx.)” gives the date, approximate, of the rows whose “Date” is empty." in result.plan.notices
    assert [(r.row, r.date_display) for r in result.plan.rows] == [
        (2, "Aug 15, 2024 (day)"), (3, "c. Sept 2024 (month, approximate)"),
    ]  # fmt: skip
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (4, "Date (approx.)", "the row has a date in both “Date” and “Date (approx.)”; keep one")
    ]


# -- CaseMap's date forms in an import ---------------------------------------------------------------------------


def test_casemap_dates_short_years_and_sequence_numbers(matter, user):
    data = (
        b"Date & Time,Fact Text\n"
        b"8/24,Setting introduced\n"
        b"8/15/24 #2,FAQ changed\n"
        b"8/15/24 #1,Meeting held\n"
        b">09/18/2024,Policy amended\n"
        b"??/??/2025,Complaint drafted\n"
    )
    result = run(matter, user, "casemap.csv", data, dry_run=True)
    assert result.plan.ok
    assert [(r.row, r.date_display) for r in result.plan.rows] == [
        (2, "Aug 2024 (month)"), (3, "Aug 15, 2024 (day)"), (4, "Aug 15, 2024 (day)"),
        (5, "after Sept 18, 2024 (day)"), (6, "2025 (year)"),
    ]  # fmt: skip
    assert result.plan.date_orders == [
        "“Date & Time”: month/day (US), as no value proves day/month.",
        "“Date & Time”: two-digit years are read as Excel reads them, 00–29 as 2000–2029 and 30–99 as 1930–1999 "
        "(“8/24” is Aug 2024, row 2).",
        "“Date & Time”: CaseMap's sequence numbers (“#1”, “#2”) are set aside; events of one date are listed in the "
        "order of the file's rows, which differs from the numbers at row 4 (sort the file by date and sequence "
        "number to keep CaseMap's order).",
    ]


def test_a_refused_casemap_date_says_what_would_be_understood(matter, user):
    data = b"Date & Time,Fact Text\n=<06/15/2024,Setting introduced\n<<?,Nonsense\n"
    result = run(matter, user, "casemap.csv", data)
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (2, "Date & Time", "'=<06/15/2024': 'on or before' is not a date form; write 'before June 16, 2024', which "
                           "means the same, or 'June 15, 2024'"),
        (3, "Date & Time", "could not read '<<?' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', "
                           "'2024-08-15', 'Jan 24, 2025, 9:30 AM PST' or 'unknown'; CaseMap's forms are read too: "
                           "'08/??/2024' (a month), '??/??/2024' (a year), '<06/15/2024' (before), '>06/15/2024' "
                           "(after), '~06/15/2024' (about)"),
    ]  # fmt: skip
    assert not Event.objects.filter(matter=matter).exists()


def test_the_command_prints_how_the_columns_and_dates_were_read(matter, user, tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text("Fact #,Date (approx.),Fact Text\n1,8/24,Setting introduced\n")
    code, out, _ = command(str(path), "--matter", matter.slug, "--user", user.username)
    assert code == 0, out
    assert "Note: Every date in “Date (approx.)” is read as approximate (“c.”)." in out
    assert "Note: “Fact #” is kept as each event's id (the file has no ID column)" in out
    assert re.search(r"Dates: “Date \(approx\.\)”: two-digit years are read as Excel reads them, .*\(“8/24” is Aug "
                     r"2024, row 2\)\.", out)  # fmt: skip
    event = Event.objects.get(matter=matter)
    assert (event.title, event.date_display, event.external_id) == ("Setting introduced", "c. Aug 2024", "1")
