"""evidence.dates.values: display, the ordering contract, first and last days, and round-trip properties."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from evidence.dates import (
    SORT_KEY_LENGTH,
    ZONE_ABBREVIATIONS,
    Bound,
    DatePoint,
    PartialDate,
    Precision,
    detect_day_first,
    parse_point,
)
from tests.dates.common import FAST, LA, MIN, NY, D, M, Y, _ordered, partial_dates, point, points


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("2025-01-24 09:30 PST", LA), ("2025-07-24 09:30 PDT", LA), ("2025-01-24 09:30 MST", "America/Denver"),
        ("2025-07-24 09:30 MDT", "America/Denver"), ("2025-01-24 09:30 CST", "America/Chicago"),
        ("2025-07-24 09:30 CDT", "America/Chicago"), ("2025-01-24 09:30 EST", NY), ("2025-07-24 09:30 EDT", NY),
        ("2025-01-24 09:30 GMT", "UTC"), ("2025-01-24 09:30 UTC", "UTC"), ("2025-01-24T09:30Z", "UTC"),
        ("2025-07-24 09:30 BST", "Europe/London"), ("2025-01-24 09:30 CET", "Europe/Paris"),
        ("2025-07-24 09:30 CEST", "Europe/Paris"), ("2025-01-24 09:30 +0530", "+05:30"),
        ("2025-01-24 09:30 -08:00", "-08:00"), ("2025-01-24 09:30 UTC-8", "-08:00"),
        ("2025-01-24 09:30", ""), ("2025-01-24 09:30 Etc/GMT+5", "Etc/GMT+5"),
    ],
)  # fmt: skip
def test_time_zones(text, tz):
    assert parse_point(text).tz == tz


def test_zone_table_targets_exist():
    for tz in set(ZONE_ABBREVIATIONS.values()):
        DatePoint(MIN, 2025, 1, 1, 9, 30, tz)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["01/02/2024", "21/01/2025", "", None, "Aug 2024"], True),
        (["01/02/2024", "01/21/2025 9:30am", "2024-08-15"], False),
        (["01/02/2024", "03/04/2024", "08/??/2024", "Aug 15, 2024", "2024-08-15"], None),
        ([], None),
        (["c. 21/01/2025 – 22/01/2025"], True),
    ],
)
def test_detect_day_first(values, expected):
    assert detect_day_first(values) is expected


def test_detect_day_first_refuses_a_mixed_column():
    with pytest.raises(ValidationError) as caught:
        detect_day_first(["21/01/2025", "01/02/2025", "01/21/2025"])
    (message,) = caught.value.messages
    assert "'21/01/2025'" in message and "'01/21/2025'" in message and "'01/02/2025'" not in message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(precision=M, year=2024), "needs its month"),
        (dict(precision=Y, year=2024, month=8), "cannot have a month"),
        (dict(precision=D, year=2024, month=8, day=15, hour=9), "cannot have a hour"),
        (dict(precision=MIN, year=2024, month=8, day=15, hour=9), "needs its minute"),
        (dict(precision=D, year=2024, month=8, day=15, tz="UTC"), "a time zone needs a time of day"),
        (dict(precision=MIN, year=2024, month=8, day=15, hour=9, minute=0, tz="Mars/Base"), "unknown time zone"),
        (dict(precision=MIN, year=2024, month=8, day=15, hour=9, minute=0, tz="EST"), "ambiguous"),
        (dict(precision=9, year=2024), "precision 9 does not exist"),
        (dict(precision=Y, year=24), "year 24 is out of range"),
    ],
)
def test_date_point_validation(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        DatePoint(**kwargs)


def test_partial_date_validation():
    aug = point("2024-08")
    with pytest.raises(ValidationError, match="a range end needs a start"):
        PartialDate(end=aug)
    with pytest.raises(ValidationError, match="undated"):
        PartialDate(approximate=True)
    with pytest.raises(ValidationError, match="undated"):
        PartialDate(bound=Bound.AFTER)
    with pytest.raises(ValidationError, match="cannot be combined with a range"):
        PartialDate(aug, point("2024-09"), bound="before")
    with pytest.raises(ValidationError, match=r"the range ends \(Aug 2024\) before it starts \(Aug 15, 2024\)"):
        PartialDate(point("2024-08-15"), aug)
    assert PartialDate(aug, bound="after").bound is Bound.AFTER


def test_order_from_coarse_to_fine():
    _ordered(["2024", "Aug 2024", "Aug 15, 2024", "Aug 15, 2024 9:30 AM", "Aug 16, 2024", "Sept 2024", "unknown"])


def test_order_of_bounds():
    _ordered(["before Aug 2024", "Aug 2024", "Aug 15, 2024", "after Aug 2024", "Sept 2024"])
    _ordered(["July 2024", "before Aug 2024"])
    _ordered(["2023", "before 2024", "2024", "Jan 2024", "Dec 31, 2024", "after 2024", "before 2025"])
    _ordered(["Aug 15, 2024", "before Aug 15, 2024 9:30 AM", "Aug 15, 2024 9:30 AM", "after Aug 15, 2024 9:30 AM",
              "Aug 15, 2024 9:31 AM", "after Aug 15, 2024"])  # fmt: skip


def test_minutes_order_by_wall_clock_in_their_own_zone():
    _ordered(["Jan 24, 2025, 9:00 AM PST", "Jan 24, 2025, 10:00 AM EST"])  # 10 AM EST is earlier in UTC


def test_iso_round_trip_and_errors():
    for iso in ["2024", "2024-08", "2024-08-15", "2024-08-15T09:30"]:
        assert point(iso).iso() == iso
    assert point("2024-08-15T09:30", LA).tz == LA
    assert point("2024-08", LA).tz == ""  # a zone only belongs to a time
    with pytest.raises(ValidationError, match="is not an ISO date"):
        DatePoint.from_iso("Aug 2024")
    with pytest.raises(ValidationError, match="month 13 does not exist"):
        DatePoint.from_iso("2024-13")


@FAST
@given(partial_dates(bounds=False), partial_dates(bounds=False))
def test_days_apart_sort_apart(a, b):
    assume(not a.undated and not b.undated)
    if a.last_day() < b.first_day():
        assert a.sort_key() < b.sort_key()


@FAST
@given(points(), st.sampled_from(list(Bound)))
def test_a_point_sorts_within_the_coarser_point(p, bound):
    key = PartialDate(p, bound=bound).sort_key()
    for coarser in range(Precision.YEAR, p.precision):
        parts = [p.month, p.day][: coarser - 1]
        outer = DatePoint(Precision(coarser), p.year, *parts)
        before, after = PartialDate(outer, bound=Bound.BEFORE), PartialDate(outer, bound=Bound.AFTER)
        assert before.sort_key() < key < after.sort_key()
        assert PartialDate(outer).sort_key() <= key
    assert len(key) == SORT_KEY_LENGTH
