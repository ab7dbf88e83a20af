"""CaseMap's date forms (evidence.dates.parsing): date status marks, unknown parts, two-digit years in imports, and
what a refusal says would be understood."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from evidence.dates import UNDATED, Bound, PartialDate, Precision, parse
from tests.dates.common import point


@pytest.mark.parametrize(
    ("text", "shown", "bound", "approximate"),
    [
        ("<06/15/2024", "before June 15, 2024", Bound.BEFORE, False),
        ("< 06/15/2024", "before June 15, 2024", Bound.BEFORE, False),
        (">06/15/2024", "after June 15, 2024", Bound.AFTER, False),
        (">08/??/2024", "after Aug 2024", Bound.AFTER, False),
        ("<??/??/2024", "before 2024", Bound.BEFORE, False),
        ("~06/15/2024", "c. June 15, 2024", Bound.NONE, True),
        ("~<06/15/2024", "c. before June 15, 2024", Bound.BEFORE, True),
        ("=06/15/2024", "June 15, 2024", Bound.NONE, False),
    ],
)
def test_date_status_marks_are_the_bounds_the_model_has(text, shown, bound, approximate):
    value = parse(text)
    assert (value.display(), value.bound, value.approximate) == (shown, bound, approximate)
    assert parse(shown) == value


def test_before_and_after_sort_and_span_as_the_words_do():
    before, on, after = parse("<06/15/2024"), parse("06/15/2024"), parse(">06/15/2024")
    assert before.sort_key() < on.sort_key() < after.sort_key()
    assert before.span() == (dt.date.min, dt.date(2024, 6, 14))
    assert after.span() == (dt.date(2024, 6, 16), dt.date.max)


@pytest.mark.parametrize(
    ("text", "precision", "shown"),
    [("08/??/2024", Precision.MONTH, "Aug 2024"), ("??/??/2024", Precision.YEAR, "2024")],
)
def test_unknown_parts(text, precision, shown):
    assert (parse(text).start.precision, parse(text).display()) == (precision, shown)


@pytest.mark.parametrize("text", ["NA", "na", "TBD"])
def test_casemap_undated_values(text):
    assert parse(text) == UNDATED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=<06/15/2024", "'on or before' is not a date form; write 'before June 16, 2024', which means the same, or "
                         "'June 15, 2024'"),
        ("=>06/15/2024", "'on or after' is not a date form; write 'after June 14, 2024', which means the same, or "
                         "'June 15, 2024'"),
        ("<=12/??/2024", "'on or before' is not a date form; write 'before Jan 2025', which means the same, or "
                         "'Dec 2024'"),
        (">=2024", "'on or after' is not a date form; write 'after 2023', which means the same, or '2024'"),
        ("on or before 3/1/2024", "'on or before' is not a date form; write 'before Mar 2, 2024', which means the "
                                  "same, or 'Mar 1, 2024'"),
        ("=<1/21/2025 9:30 AM", "'on or before' is not a date form; write 'before …' with the date, or the date "
                                "itself"),
    ],
)  # fmt: skip
def test_on_or_before_is_refused_with_the_date_that_means_the_same(text, message):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    assert caught.value.messages == [f"'{text}': {message}"]


def test_the_suggested_equivalent_states_the_same_days():
    """ "before June 16" covers the days "on or before June 15" does: up to and including June 15."""
    assert parse("before June 16, 2024").span() == (dt.date.min, dt.date(2024, 6, 15))
    assert parse("after July 2024").span() == (dt.date(2024, 8, 1), dt.date.max)


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("8/24", "2024-08", None, "Aug 2024"),
        ("8/99", "1999-08", None, "Aug 1999"),
        ("8/15/24", "2024-08-15", None, "Aug 15, 2024"),
        ("08/??/99", "1999-08", None, "Aug 1999"),
        ("??/??/24", "2024", None, "2024"),
        ("12/31/29", "2029-12-31", None, "Dec 31, 2029"),
        ("1/1/30", "1930-01-01", None, "Jan 1, 1930"),
        ("<6/15/24", "2024-06-15", None, "before June 15, 2024"),
        ("7/1/08 - 7/4/08", "2008-07-01", "2008-07-04", "July 1 – July 4, 2008"),
        ("1/21/25 9:30 AM", "2025-01-21T09:30", None, "Jan 21, 2025, 9:30 AM"),
        ("8/15/2024", "2024-08-15", None, "Aug 15, 2024"),  # four digits are left alone
        ("2024/08/15", "2024-08-15", None, "Aug 15, 2024"),
    ],
)
def test_two_digit_years_in_a_spreadsheet_are_read_as_excel_reads_them(text, start, end, shown):
    value = parse(text, short_years=True)
    assert value == PartialDate(point(start), point(end) if end else None, value.approximate, value.bound)
    assert value.display() == shown


def test_two_digit_years_follow_the_column_order():
    assert parse("15/8/24", short_years=True).display() == "Aug 15, 2024"
    assert parse("3/4/24", day_first=True, short_years=True).display() == "Apr 3, 2024"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("8/24", "'8/24': two-digit year '24' is ambiguous; write the full year, e.g. '8/2024'"),
        ("8/15/24", "'8/15/24': two-digit year '24' is ambiguous; write the full year, e.g. '8/15/2024'"),
        ("Aug '24", "'Aug '24': two-digit year '24' is ambiguous; write the full year, e.g. 'Aug 2024'"),
    ],
)
def test_two_digit_years_typed_in_a_form_are_refused_with_the_full_form(text, message):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    assert caught.value.messages == [message]


def test_a_month_named_with_a_two_digit_year_is_still_refused_in_a_spreadsheet():
    with pytest.raises(ValidationError, match="two-digit year '24' is ambiguous"):
        parse("Aug '24", short_years=True)


@pytest.mark.parametrize("text", ["<<<", "06/15/2024 #2", "?/?"])
def test_an_unreadable_casemap_looking_value_is_told_the_casemap_forms(text):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    assert caught.value.messages == [
        f"could not read '{text}' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', '2024-08-15', "
        "'Jan 24, 2025, 9:30 AM PST' or 'unknown'; CaseMap's forms are read too: '08/??/2024' (a month), "
        "'??/??/2024' (a year), '<06/15/2024' (before), '>06/15/2024' (after), '~06/15/2024' (about)"
    ]


def test_a_bound_still_cannot_open_a_range():
    with pytest.raises(ValidationError, match="'before'/'after' cannot be combined with a range"):
        parse("<06/15/2024 - 06/20/2024")
