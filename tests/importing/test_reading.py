"""Files as they come (evidence/importing/reading.py): encodings, workbooks and their cell types, JSON, limits."""

import pytest

from evidence.importing import UnusableInputError
from evidence.models import Event
from tests.importing.support import run, stored


def test_xlsx_date_cells_are_days_datetime_cells_minutes_and_the_chronology_sheet_is_found(matter, user):
    result = run(matter, user, "chronology.xlsx")
    assert result.plan.notices == [
        "Read the sheet “Chronology” (the workbook has 2: Notes, Chronology); choose another if needed."
    ]
    assert result.plan.columns.unrecognised == ["Extra column"]
    events = stored(matter)
    assert (events["Complaint filed (date cell)"].date_start, events["Complaint filed (date cell)"].date_precision) == (
        "2025-01-21",
        3,
    )
    assert events["Article published (datetime cell)"].date_start == "2025-01-24T09:30"
    assert events["Article published (datetime cell)"].date_tz == "America/Los_Angeles"
    assert events["A date-only cell"].date_display == "Aug 15, 2024" and events["A date-only cell"].is_key
    assert events["Text cell month"].date_display == "Aug 2024"
    assert events["Text cell circa"].date_display == "c. Sept 2024"
    assert events["Complaint filed (date cell)"].external_id == "1"  # a numeric cell, not "1.0"
    assert events["Complaint filed (date cell)"].kind == "court_filing"


def test_xlsx_sheet_can_be_chosen_and_an_unknown_sheet_is_unusable(matter, user):
    assert run(matter, user, "chronology.xlsx", sheet="Chronology", dry_run=True).counts["new"] == 5
    with pytest.raises(UnusableInputError, match="has no sheet “Facts”; its sheets are: Notes, Chronology"):
        run(matter, user, "chronology.xlsx", sheet="Facts")
    with pytest.raises(UnusableInputError, match="has no title column"):
        run(matter, user, "chronology.xlsx", sheet="Notes")


def test_windows_1252_is_read_with_a_notice(matter, user):
    result = run(matter, user, "windows1252.csv")
    assert result.plan.notices == [
        "“windows1252.csv” is not UTF-8 (first at line 2); it was read as Windows-1252. "
        "Check accented letters and quotes in the preview."
    ]
    event = Event.objects.get(external_id="w-1")
    assert event.title == "Setting introduced – “opt-in” by default" and event.description == "Résumé data included"


def test_json_records(matter, user):
    result = run(matter, user, "events.json")
    assert result.counts["new"] == 2
    event = Event.objects.get(external_id="j-1")
    assert [a.name for a in event.actors.all()] == ["LinkedIn"] and event.kind == "setting_introduced"
    assert Event.objects.get(external_id="j-2").is_key


def test_unusable_input(matter, user, settings):
    with pytest.raises(UnusableInputError, match="empty"):
        run(matter, user, "x.csv", b"\r\n\r\n")
    with pytest.raises(UnusableInputError, match="cells beyond the last column with a header"):
        run(matter, user, "x.csv", b"Date,Title\nAug 2024,One,surprise\n")
    with pytest.raises(UnusableInputError, match="not a CSV, XLSX or JSON"):
        run(matter, user, "x.pdf", b"%PDF")
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(UnusableInputError, match="has more than 2 rows; the import limit is 2 rows"):
        run(matter, user, "x.csv", b"Date,Title\n2024,a\n2024,b\n2024,c\n")
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(UnusableInputError, match="the import limit is 0.0 MB"):
        run(matter, user, "x.csv", b"Date,Title\n2024,a\n")


def test_quoted_separators_and_line_breaks_are_no_extra_columns(matter, user, settings):
    settings.IMPORT_MAX_COLUMNS = 3
    description = "one, two, three; " * 500 + "\nsecond line, with commas"
    data = f'Date,Title,Description\nAug 2024,Long one,"{description}"\n\nSept 2024,After a blank row,\n'.encode()
    result = run(matter, user, "long.csv", data)
    assert result.counts["new"] == 2 and result.plan.ok
    assert [row.row for row in result.plan.rows] == [2, 4]  # the quoted line break is inside row 2
    assert Event.objects.get(title="Long one").description == description


def test_utf16_with_a_byte_order_mark_is_read(matter, user):
    data = "Date\tTitle\nAug 2024\tRésumé data\n".encode("utf-16")
    result = run(matter, user, "unicode.txt", data)
    assert result.counts["new"] == 1 and Event.objects.get().title == "Résumé data"
