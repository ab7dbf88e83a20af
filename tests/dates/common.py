"""Shorthands and hypothesis strategies shared by the tests of evidence.dates."""

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st

from evidence.dates import (
    UNDATED,
    ZONE_ABBREVIATIONS,
    Bound,
    DatePoint,
    PartialDate,
    Precision,
    parse,
    zones,
)

Y, M, D, MIN = Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.MINUTE


LA, NY = "America/Los_Angeles", "America/New_York"


def point(text: str, tz: str = "") -> DatePoint:
    return DatePoint.from_iso(text, tz)


def instant(p: DatePoint) -> dt.datetime:
    return dt.datetime(p.year, p.month, p.day, p.hour, p.minute, tzinfo=zones.tzinfo(p.tz))


POINTS = [
    # ISO
    ("2024", "2024", Y, "2024"),
    ("2024-08", "2024-08", M, "Aug 2024"),
    ("2024-08-15", "2024-08-15", D, "Aug 15, 2024"),
    ("2024-08-15 09:30", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM"),
    ("2024-08-15T09:30", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM"),
    ("2024-08-15T09:30:00", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM"),
    ("2024-08-15T09:30:47", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM"),  # seconds dropped, not rounded
    ("2024-08-15T09:30:00.250Z", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM UTC"),
    ("2024-08-15T09:30Z", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM UTC"),
    ("2024-08-15T09:30+01:00", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM UTC+01:00"),
    ("2024-08-15T09:30-0800", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM UTC-08:00"),
    ("2024-08-15 09:30 UTC", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM UTC"),
    ("2024-08-15 09:30 PST", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM PDT"),
    ("2024-08-15 09:30 America/New_York", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM EDT"),
    ("2024-08-15 09:30 america/new_york", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM EDT"),
    ("2024-08-15 09:30 Asia/Tokyo", "2024-08-15T09:30", MIN, "Aug 15, 2024, 9:30 AM JST"),
    # months
    ("Aug 2024", "2024-08", M, "Aug 2024"),
    ("August 2024", "2024-08", M, "Aug 2024"),
    ("Aug. 2024", "2024-08", M, "Aug 2024"),
    ("Sept 2024", "2024-09", M, "Sept 2024"),
    ("Sep 2024", "2024-09", M, "Sept 2024"),
    ("september 2024", "2024-09", M, "Sept 2024"),
    ("8/2024", "2024-08", M, "Aug 2024"),
    ("08/2024", "2024-08", M, "Aug 2024"),
    ("  aug   2024 ", "2024-08", M, "Aug 2024"),
    ("June 2024", "2024-06", M, "June 2024"),
    # days
    ("08/15/2024", "2024-08-15", D, "Aug 15, 2024"),
    ("15/08/2024", "2024-08-15", D, "Aug 15, 2024"),
    ("01/02/2024", "2024-01-02", D, "Jan 2, 2024"),  # ambiguous: US order
    ("15 August 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("15 Aug 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("Aug 15, 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("August 15 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("Aug. 15, 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("2024/08/15", "2024-08-15", D, "Aug 15, 2024"),
    ("15-Aug-2024", "2024-08-15", D, "Aug 15, 2024"),
    ("Thursday, Aug 15, 2024", "2024-08-15", D, "Aug 15, 2024"),
    ("2/29/2024", "2024-02-29", D, "Feb 29, 2024"),
    # minutes
    ("1/21/2025 9:30am", "2025-01-21T09:30", MIN, "Jan 21, 2025, 9:30 AM"),
    ("1/21/2025 9:30 AM", "2025-01-21T09:30", MIN, "Jan 21, 2025, 9:30 AM"),
    ("1/21/2025 9:30 p.m.", "2025-01-21T21:30", MIN, "Jan 21, 2025, 9:30 PM"),
    ("1/21/2025 12:05 AM", "2025-01-21T00:05", MIN, "Jan 21, 2025, 12:05 AM"),
    ("1/21/2025 12:05 PM", "2025-01-21T12:05", MIN, "Jan 21, 2025, 12:05 PM"),
    ("1/21/2025 9am", "2025-01-21T09:00", MIN, "Jan 21, 2025, 9:00 AM"),
    ("Jan 24, 2025, 9:30 AM PST", "2025-01-24T09:30", MIN, "Jan 24, 2025, 9:30 AM PST"),
    ("Jan 24, 2025 at 9:30 AM EST", "2025-01-24T09:30", MIN, "Jan 24, 2025, 9:30 AM EST"),
    ("2025-01-24 09:30 PST", "2025-01-24T09:30", MIN, "Jan 24, 2025, 9:30 AM PST"),
    ("Jan 24, 2025 21:30", "2025-01-24T21:30", MIN, "Jan 24, 2025, 9:30 PM"),
    ("Jan 24, 2025, 9:30 AM UTC+05:30", "2025-01-24T09:30", MIN, "Jan 24, 2025, 9:30 AM UTC+05:30"),
    # CaseMap fuzzy forms
    ("08/??/2024", "2024-08", M, "Aug 2024"),
    ("??/??/2024", "2024", Y, "2024"),
    ("00/00/2024", "2024", Y, "2024"),
    ("08/00/2024", "2024-08", M, "Aug 2024"),
]


FLAGGED = [
    ("c. Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("c Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("ca. 2024", "c. 2024", "2024", None, True, Bound.NONE),
    ("circa Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("approx. Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("approximately Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("about Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("~Sept 2024", "c. Sept 2024", "2024-09", None, True, Bound.NONE),
    ("before Aug 2024", "before Aug 2024", "2024-08", None, False, Bound.BEFORE),
    ("prior to Aug 2024", "before Aug 2024", "2024-08", None, False, Bound.BEFORE),
    ("After Aug 2024", "after Aug 2024", "2024-08", None, False, Bound.AFTER),
    ("c. after Aug 2024", "c. after Aug 2024", "2024-08", None, True, Bound.AFTER),
    ("after c. Aug 2024", "c. after Aug 2024", "2024-08", None, True, Bound.AFTER),
    ("Aug – Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("Aug—Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("Aug-Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("Aug 2024 – Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("Dec 2024 – Jan 2025", "Dec 2024 – Jan 2025", "2024-12", "2025-01", False, Bound.NONE),
    ("2024-08-01 to 2024-09-15", "Aug 1 – Sept 15, 2024", "2024-08-01", "2024-09-15", False, Bound.NONE),
    ("2024-08-01 - 2024-09-15", "Aug 1 – Sept 15, 2024", "2024-08-01", "2024-09-15", False, Bound.NONE),
    ("Aug 1 – Sept 15, 2024", "Aug 1 – Sept 15, 2024", "2024-08-01", "2024-09-15", False, Bound.NONE),
    ("Aug 1-Sept 15, 2024", "Aug 1 – Sept 15, 2024", "2024-08-01", "2024-09-15", False, Bound.NONE),
    ("Aug 1 – 15, 2024", "Aug 1 – Aug 15, 2024", "2024-08-01", "2024-08-15", False, Bound.NONE),
    ("2024 - 2025", "2024 – 2025", "2024", "2025", False, Bound.NONE),
    ("2024-2025", "2024 – 2025", "2024", "2025", False, Bound.NONE),
    ("from Aug 2024 to Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("Aug 2024 through Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("between Aug and Sept 2024", "Aug – Sept 2024", "2024-08", "2024-09", False, Bound.NONE),
    ("c. Aug – Sept 2024", "c. Aug – Sept 2024", "2024-08", "2024-09", True, Bound.NONE),
    ("Aug 2024 – Sept 15, 2024", "Aug 2024 – Sept 15, 2024", "2024-08", "2024-09-15", False, Bound.NONE),
    ("21/01/2025 – 03/02/2025", "Jan 21 – Feb 3, 2025", "2025-01-21", "2025-02-03", False, Bound.NONE),
]


def _ordered(texts):
    keys = [parse(t).sort_key() for t in texts]
    assert keys == sorted(keys), texts
    assert len(set(keys)) == len(keys), texts


ZONES = sorted(set(ZONE_ABBREVIATIONS.values())) + [
    "", "Asia/Tokyo", "Australia/Sydney", "America/Phoenix", "America/Port-au-Prince", "Etc/GMT+5", "Europe/London",
]  # fmt: skip


offsets = st.builds(
    lambda sign, minutes: f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
    st.sampled_from("+-"),
    st.integers(0, 14 * 4).map(lambda quarters: quarters * 15),
)


@st.composite
def points(draw, precision=None, year=None):
    precision = draw(st.sampled_from(list(Precision))) if precision is None else precision
    year = draw(st.integers(1000, 9999)) if year is None else year
    if precision == Y:
        return DatePoint(Y, year)
    month = draw(st.integers(1, 12))
    if precision == M:
        return DatePoint(M, year, month)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    if precision == D:
        return DatePoint(D, year, month, day)
    tz = draw(st.sampled_from(ZONES) | offsets)
    return DatePoint(MIN, year, month, day, draw(st.integers(0, 23)), draw(st.integers(0, 59)), tz)


@st.composite
def partial_dates(draw, bounds=True):
    kind = draw(st.sampled_from(["undated", "point", "range", "same-year range"]))
    if kind == "undated":
        return UNDATED
    start = draw(points())
    approximate = draw(st.booleans())
    if kind == "point":
        bound = draw(st.sampled_from(list(Bound))) if bounds else Bound.NONE
        return PartialDate(start, None, approximate, bound)
    end = draw(points())
    if kind == "same-year range":
        precision = draw(st.sampled_from([M, D]))
        start = draw(points(precision))
        end = draw(points(precision, start.year))
    for a, b in ((start, end), (end, start)):
        try:
            return PartialDate(a, b, approximate)
        except ValidationError:
            pass
    assume(False)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
