"""evidence.dates.parsing: every accepted form and every error message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given

from evidence.dates import (
    SORT_KEY_LENGTH,
    UNDATED,
    Bound,
    DatePoint,
    PartialDate,
    parse,
    parse_point,
)
from tests.dates.common import FAST, FLAGGED, LA, POINTS, _ordered, instant, partial_dates, point, points


@pytest.mark.parametrize(("text", "iso", "precision", "shown"), POINTS)
def test_single_dates(text, iso, precision, shown):
    value = parse(text)
    assert value.end is None and not value.approximate and value.bound == Bound.NONE
    assert value.start.iso() == iso
    assert value.start.precision == precision
    assert value.display() == shown == str(value)
    assert parse(shown) == value


@pytest.mark.parametrize(
    ("tz", "when", "shown"),
    [
        (LA, "2025-01-24T09:30", "PST"), (LA, "2025-07-24T09:30", "PDT"), ("Europe/London", "2025-07-01T09:30", "BST"),
        ("Europe/London", "2025-01-01T09:30", "UTC"),  # "GMT" is read as UTC, and UTC is written one way
        ("America/Phoenix", "2025-01-01T09:30", "MST"),  # "MST" reads back as Denver, on MST in January
        ("America/Phoenix", "2025-07-01T09:30", "UTC-07:00"),  # ... and on MDT in July
        ("UTC", "2025-01-01T09:30", "UTC"), ("+05:30", "2025-01-01T09:30", "UTC+05:30"),
        ("Asia/Kolkata", "2025-01-01T09:30", "UTC+05:30"),  # "IST" is ambiguous
    ],
)  # fmt: skip
def test_zone_display(tz, when, shown):
    value = PartialDate(point(when, tz))
    assert value.display().endswith(f" AM {shown}")
    again = parse(value.display())
    assert again.display() == value.display() and instant(again.start) == instant(value.start)


@pytest.mark.parametrize(("text", "shown", "start", "end", "approximate", "bound"), FLAGGED)
def test_flags_and_ranges(text, shown, start, end, approximate, bound):
    value = parse(text)
    assert value == PartialDate(point(start), point(end) if end else None, approximate, bound)
    assert value.display() == shown
    assert parse(shown) == value


@pytest.mark.parametrize(
    "text", ["", "   ", "TBD", "unknown", "Date unknown", "date unknown", "undated", "n/a", "N/A", "?", "??/??/????"]
)
def test_undated(text):
    assert parse(text) is UNDATED or parse(text) == UNDATED
    assert parse(text).undated and parse(text).display() == "Date unknown"
    assert parse(text).first_day() is None and parse(text).last_day() is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13/13/2024", "month 13 does not exist"),
        ("2024-13", "month 13 does not exist"),
        ("2/30/2024", "February has 29 days in 2024"),
        ("2/29/2023", "February has 28 days in 2023"),
        ("4/31/2024", "April has 30 days in 2024"),
        ("Aug 32, 2024", "day 32 does not exist"),
        ("1/21/2025 25:00", "hour 25 does not exist"),
        ("1/21/2025 13:30 PM", "hour 13 does not exist on a 12-hour clock"),
        ("1/21/2025 9:61", "minute 61 does not exist"),
        ("1/21/2025 9:30 XYZ", "unknown time zone 'XYZ'"),
        ("1/21/2025 9:30 +15:00", "time zone offset '+15:00' does not exist"),
        ("Aug – Jul 2024", "the range ends (July 2024) before it starts (Aug 2024)"),
        ("2025-01-24T10:00 EST – 2025-01-24T08:00 PST", None),  # valid: 8 AM PST is 11 AM EST
        ("before Aug – Sept 2024", "'before'/'after' cannot be combined with a range"),
        ("after 2024 to 2025", "'before'/'after' cannot be combined with a range"),
        ("1/21/25", "two-digit year '25' is ambiguous; write the full year"),
        ("Jan 21, 25", "two-digit year '25' is ambiguous; write the full year"),
        ("Aug '25", "two-digit year '25' is ambiguous; write the full year"),
        ("Aug", "no year given"),
        ("??/15/2024", "day 15 is given without its month"),
        ("Aug 2024 9:30", "a time of day needs a full date"),
        ("Monday, Jan 24, 2025", "Jan 24, 2025 is a Friday, not a Monday"),
        ("before after Aug 2024", "cannot be both 'before' and 'after'"),
        ("0999", "year 999 is out of range"),
        (
            "xyz",
            "could not read 'xyz' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', '2024-08-15', "
            "'Jan 24, 2025, 9:30 AM PST' or 'unknown'",
        ),
        ("early 2024", "could not read 'early 2024' as a date"),
        ("Aug 2024 – Sept 2024 – Oct 2024", "could not read"),
        ("2024-08-15 - ", "could not read"),
    ],
)
def test_errors_name_the_wrong_part_and_quote_the_input(text, message):
    if message is None:
        parse(text)
        return
    with pytest.raises(ValidationError) as caught:
        parse(text)
    (shown,) = caught.value.messages
    assert message in shown
    assert f"'{' '.join(text.split())}'" in shown


def test_forced_day_order():
    assert parse("21/01/2025", day_first=True).start == point("2025-01-21")
    assert parse("01/02/2025", day_first=True).start == point("2025-02-01")
    assert parse("01/02/2025", day_first=False).start == point("2025-01-02")
    with pytest.raises(ValidationError, match="month 21 does not exist"):
        parse("21/01/2025", day_first=False)
    with pytest.raises(ValidationError, match="month 13 does not exist"):
        parse_point("12/13/2025", day_first=True)


def test_parse_point_refuses_prefixes_ranges_and_undated():
    assert parse_point("Aug 2024") == point("2024-08")
    for text in ("c. Aug 2024", "Aug – Sept 2024", "unknown", ""):
        with pytest.raises(ValidationError, match="could not read"):
            parse_point(text)


def test_range_in_mixed_order_is_refused():
    with pytest.raises(ValidationError, match="mix day-first"):
        parse("21/01/2025 – 01/22/2025")


def test_days_covered():
    assert point("2024").first_day() == dt.date(2024, 1, 1) and point("2024").last_day() == dt.date(2024, 12, 31)
    assert point("2024-02").first_day() == dt.date(2024, 2, 1) and point("2024-02").last_day() == dt.date(2024, 2, 29)
    assert point("2024-08-15T23:59", LA).last_day() == dt.date(2024, 8, 15)  # the source's calendar day
    value = parse("Aug – Sept 2024")
    assert (value.first_day(), value.last_day()) == (dt.date(2024, 8, 1), dt.date(2024, 9, 30))
    assert parse("before Aug 2024").first_day() == dt.date(2024, 8, 1)


def test_order_of_ranges_and_flags():
    _ordered(["Aug 2024", "Aug 2024 – Aug 15, 2024", "Aug – Sept 2024", "Aug 2024 – 2025", "Aug 15, 2024"])
    assert parse("c. Aug 2024").sort_key() == parse("Aug 2024").sort_key()


def test_sort_key_shape():
    for text in ["2024", "c. after Aug 2024", "Jan 24, 2025, 9:30 AM PST", "Aug – Sept 2024", "unknown"]:
        key = parse(text).sort_key()
        assert len(key) == SORT_KEY_LENGTH and key.isalnum() and key.upper() == key
    assert point("2024-08").sort_key() == parse("2024-08").sort_key()[: SORT_KEY_LENGTH // 2]


@FAST
@given(partial_dates())
def test_display_parses_back(value):
    # The same date and instants: a zone shown by its offset ("UTC+09:00") reads back as that offset.
    again = parse(value.display())
    assert again.display() == value.display()
    assert again.sort_key("UTC") == value.sort_key("UTC")


@FAST
@given(points())
def test_iso_parses_back(p):
    assert DatePoint.from_iso(p.iso(), p.tz) == p
    assert parse_point(p.iso()) == DatePoint.from_iso(p.iso())
    if p.tz:
        assert parse_point(f"{p.iso()} {p.tz}") == p
