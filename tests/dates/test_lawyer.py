"""evidence.dates.lawyer: dates as pleadings write them, with the precision they carry, or a refusal that says what
would be understood."""

import pytest
from django.core.exceptions import ValidationError

from evidence.dates import Bound, DatePoint, PartialDate, Precision, fiscal_year, parse
from tests.dates.common import point


@pytest.mark.parametrize(
    ("text", "start", "end", "approximate", "shown"),
    [
        ("on or about Sept 18, 2024", "2024-09-18", None, True, "c. Sept 18, 2024"),
        ("On or about September 18, 2024", "2024-09-18", None, True, "c. Sept 18, 2024"),
        ("in or about Aug 2024", "2024-08", None, True, "c. Aug 2024"),
        ("on or around Sept 18, 2024", "2024-09-18", None, True, "c. Sept 18, 2024"),
        ("on Sept 18, 2024", "2024-09-18", None, False, "Sept 18, 2024"),
        ("in August 2024", "2024-08", None, False, "Aug 2024"),
        ("sometime in 2024", "2024", None, False, "2024"),
        ("early Aug 2024", "2024-08-01", "2024-08-10", True, "early Aug 2024"),
        ("mid-August 2024", "2024-08-11", "2024-08-20", True, "mid Aug 2024"),
        ("Mid Aug 2024", "2024-08-11", "2024-08-20", True, "mid Aug 2024"),
        ("middle of August 2024", "2024-08-11", "2024-08-20", True, "mid Aug 2024"),
        ("late Aug 2024", "2024-08-21", "2024-08-31", True, "late Aug 2024"),
        ("late Feb 2024", "2024-02-21", "2024-02-29", True, "late Feb 2024"),
        ("late Feb 2025", "2025-02-21", "2025-02-28", True, "late Feb 2025"),
        ("late September 2024", "2024-09-21", "2024-09-30", True, "late Sept 2024"),
        ("Q3 2024", "2024-07", "2024-09", False, "July – Sept 2024"),
        ("Q1 2025", "2025-01", "2025-03", False, "Jan – Mar 2025"),
        ("q4-2024", "2024-10", "2024-12", False, "Oct – Dec 2024"),
        ("2024 Q2", "2024-04", "2024-06", False, "Apr – June 2024"),
        ("3Q 2024", "2024-07", "2024-09", False, "July – Sept 2024"),
        ("third quarter of 2024", "2024-07", "2024-09", False, "July – Sept 2024"),
        ("summer 2024", "2024-06", "2024-08", True, "c. June – Aug 2024"),
        ("Spring 2024", "2024-03", "2024-05", True, "c. Mar – May 2024"),
        ("fall 2024", "2024-09", "2024-11", True, "c. Sept – Nov 2024"),
        ("autumn of 2024", "2024-09", "2024-11", True, "c. Sept – Nov 2024"),
        ("winter 2024/25", "2024-12", "2025-02", True, "c. Dec 2024 – Feb 2025"),
        ("winter 2024-2025", "2024-12", "2025-02", True, "c. Dec 2024 – Feb 2025"),
    ],
)
def test_forms_of_pleadings(text, start, end, approximate, shown):
    value = parse(text)
    assert value == PartialDate(point(start), point(end) if end else None, approximate)
    assert value.display() == shown
    assert parse(shown) == value


def test_a_part_of_a_month_reads_the_same_however_it_is_written():
    assert parse("c. Aug 1 – 10, 2024") == parse("early Aug 2024")
    assert parse("Aug 1 – 10, 2024").display() == "Aug 1 – Aug 10, 2024"  # not approximate: not "early"
    assert parse("c. Aug 2 – 10, 2024").display() == "c. Aug 2 – Aug 10, 2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("before Q3 2024", PartialDate(point("2024-07"), bound=Bound.BEFORE)),
        ("after Q3 2024", PartialDate(point("2024-09"), bound=Bound.AFTER)),
        ("after summer 2024", PartialDate(point("2024-08"), approximate=True, bound=Bound.AFTER)),
        ("before early Aug 2024", PartialDate(point("2024-08-01"), approximate=True, bound=Bound.BEFORE)),
        ("c. Q3 2024", PartialDate(point("2024-07"), point("2024-09"), approximate=True)),
    ],
)
def test_before_a_period_is_before_its_first_day_and_after_it_after_its_last(text, expected):
    assert parse(text) == expected


FY = PartialDate(DatePoint(Precision.YEAR, 2024), fiscal=True)


@pytest.mark.parametrize("text", ["FY2024", "FY 2024", "fy2024", "FY-2024", "fiscal year 2024", "Fiscal 2024"])
def test_a_fiscal_year_is_read_as_named_and_placed_by_the_matter(text):
    assert parse(text) == FY
    assert parse(text).display() == "FY2024" and parse("FY2024") == FY


@pytest.mark.parametrize(
    ("start_month", "shown"),
    [(7, "July 2023 – June 2024"), (10, "Oct 2023 – Sept 2024"), (4, "Apr 2023 – Mar 2024"), (2, "Feb 2023 – Jan 2024"),
     (1, "2024")],
)  # fmt: skip
def test_a_fiscal_year_is_named_by_the_year_it_ends_in(start_month, shown):
    assert fiscal_year(FY, start_month).display() == shown


def test_bounds_and_circa_of_a_fiscal_year():
    assert fiscal_year(parse("before FY2024"), 7) == PartialDate(point("2023-07"), bound=Bound.BEFORE)
    assert fiscal_year(parse("after FY2024"), 7) == PartialDate(point("2024-06"), bound=Bound.AFTER)
    assert fiscal_year(parse("c. FY2024"), 7).display() == "c. July 2023 – June 2024"
    assert fiscal_year(parse("Aug 2024"), None) == parse("Aug 2024")  # nothing fiscal: nothing to read


def test_a_fiscal_year_without_the_matters_calendar_is_refused_and_has_no_place():
    with pytest.raises(ValidationError, match="'FY2024' needs the matter's fiscal year: set the month the matter's "
                                              "fiscal year starts in"):  # fmt: skip
        fiscal_year(FY, None)
    for method in (FY.sort_key, FY.first_day, FY.last_day, FY.span):
        with pytest.raises(ValidationError, match="needs the matter's fiscal year"):
            method()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("early 2024", "could not read 'early 2024' as a date"),
        ("late 2024", "'early Aug 2024' (or mid, late), 'Q3 2024', 'summer 2024'"),
        ("Q5 2024", "'Q3 2024'"),
        ("Q3 FY2024", "'FY2024' (once the matter's fiscal year is set)"),
        ("beginning of Aug 2024", "'on or about Sept 18, 2024'"),
        ("winter 2024", "a winter spans two years; write 'winter 2024/25' (Dec 2024 – Feb 2025), 'winter 2023/24' or "
                        "the months"),
        ("winter 2024/26", "a winter runs from one year into the next; write 'winter 2024/25'"),
        ("FY24", "two-digit year '24' is ambiguous; write the full year, e.g. 'FY2024'"),
        ("early Sept 18, 2024", "could not read"),
    ],
)  # fmt: skip
def test_what_is_not_understood_says_what_would_be(text, message):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    (shown,) = caught.value.messages
    assert message in shown and f"'{text}'" in shown


def test_an_unrelated_unreadable_text_keeps_the_short_message():
    with pytest.raises(ValidationError) as caught:
        parse("xyz")
    assert "pleadings" not in caught.value.messages[0]


def test_a_fiscal_year_is_not_a_range_nor_a_finer_date():
    with pytest.raises(ValidationError, match="a fiscal year is one year"):
        PartialDate(point("2024-08"), fiscal=True)
