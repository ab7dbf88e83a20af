"""Dates as pleadings write them: parts of a month, quarters, seasons and fiscal years (see evidence.dates).

Each is read as the months or days it names, never as a point inside them: "early Aug 2024" is c. Aug 1 – 10,
"Q3 2024" is July – Sept 2024, "summer 2024" is c. June – Aug 2024, and "FY2024" the twelve months the matter's
fiscal calendar gives it. "before"/"after" such a period is before its first or after its last day.
"""

from __future__ import annotations

import calendar
import re
from typing import NamedTuple

from evidence.dates.errors import invalid
from evidence.dates.values import FISCAL_YEAR_UNSET, MONTH_PARTS, Bound, DatePoint, PartialDate, Precision

ACCEPTED = (
    "dates as pleadings write them are read too: 'on or about Sept 18, 2024', 'early Aug 2024' (or mid, late), "
    "'Q3 2024', 'summer 2024' (spring, fall, winter 2024/25) and 'FY2024' (once the matter's fiscal year is set)"
)
# Words of those forms: an unreadable text containing one is answered with ACCEPTED.
LOOKS_LIKE = re.compile(
    r"\b(?:early|mid|middle|late|beginning|end|quarter|q\d|\dq|fy|fiscal|spring|summer|fall|autumn|winter|"
    r"or about|or around)\b",
    re.I,
)
PART_RE = re.compile(r"(?P<part>early|mid|middle of|late)(?:\s*-\s*|\s+)(?:the\s+)?", re.I)

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_QUARTER_RES = [
    re.compile(r"q(?P<q>[1-4])[\s,/-]*(?P<y>\d{4})", re.I),
    re.compile(r"(?P<q>[1-4])q[\s,/-]*(?P<y>\d{4})", re.I),
    re.compile(r"(?P<y>\d{4})[\s,/-]*q(?P<q>[1-4])", re.I),
    re.compile(
        r"(?:the\s+)?(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+of)?[\s,]+(?P<y>\d{4})", re.I
    ),
]
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9}  # first month; meteorological, northern hemisphere
_SEASON_RE = re.compile(r"(?P<season>spring|summer|fall|autumn)(?:\s+of)?[\s,]+(?P<y>\d{4})", re.I)
_WINTER_RE = re.compile(r"winter(?:\s+of)?[\s,]+(?P<y>\d{4})(?:\s*[/\u2013-]\s*(?P<next>\d{4}|\d{2}))?", re.I)
_FISCAL_RE = re.compile(r"(?:fy|fiscal(?:\s+year)?)\s*[-']?\s*(?P<y>\d{4}|\d{2})", re.I)


class Period(NamedTuple):
    start: DatePoint
    end: DatePoint | None = None
    approximate: bool = False
    fiscal: bool = False


def part_of_month(part: str, month: DatePoint) -> Period | None:
    """ "early"/"mid"/"late" of a month-precision point; None for anything else ("early 2024")."""
    if month.precision != Precision.MONTH:
        return None
    first, last = MONTH_PARTS[part.split()[0].lower().replace("middle", "mid")]
    last = min(last, calendar.monthrange(month.year, month.month)[1])
    start, end = (DatePoint(Precision.DAY, month.year, month.month, d) for d in (first, last))
    return Period(start, end, approximate=True)


def period(s: str) -> Period | None:
    """A quarter, season or fiscal year written alone; None when the text is none of those."""
    for regex in _QUARTER_RES:
        if m := regex.fullmatch(s):
            q = _ORDINALS.get(m["q"].lower()) or int(m["q"])
            year = int(m["y"])
            return Period(DatePoint(Precision.MONTH, year, 3 * q - 2), DatePoint(Precision.MONTH, year, 3 * q))
    if m := _SEASON_RE.fullmatch(s):
        first, year = _SEASONS[m["season"].lower()], int(m["y"])
        return Period(DatePoint(Precision.MONTH, year, first), DatePoint(Precision.MONTH, year, first + 2), True)
    if m := _WINTER_RE.fullmatch(s):
        return _winter(int(m["y"]), m["next"])
    if m := _FISCAL_RE.fullmatch(s):
        if len(m["y"]) == 2:
            raise invalid(f"two-digit year '{m['y']}' is ambiguous; write the full year, e.g. 'FY20{m['y']}'")
        return Period(DatePoint(Precision.YEAR, int(m["y"])), fiscal=True)
    return None


def _winter(year: int, following: str | None) -> Period:
    if following is None:
        raise invalid(f"a winter spans two years; write 'winter {year}/{(year + 1) % 100:02d}' (Dec {year} – Feb "
                      f"{year + 1}), 'winter {year - 1}/{year % 100:02d}' or the months")  # fmt: skip
    if int(following) % 100 != (year + 1) % 100 or (len(following) == 4 and int(following) != year + 1):
        raise invalid(f"a winter runs from one year into the next; write 'winter {year}/{(year + 1) % 100:02d}'")
    return Period(DatePoint(Precision.MONTH, year, 12), DatePoint(Precision.MONTH, year + 1, 2), approximate=True)


def bounded(found: Period, *, approximate: bool, bound: Bound) -> PartialDate:
    """The period as a date; "before" it is before its start, "after" it after its end."""
    approximate = approximate or found.approximate
    if found.fiscal:
        return PartialDate(found.start, None, approximate, bound, fiscal=True)
    if bound == Bound.BEFORE:
        return PartialDate(found.start, None, approximate, bound)
    if bound == Bound.AFTER:
        return PartialDate(found.end or found.start, None, approximate, bound)
    return PartialDate(found.start, found.end, approximate)


def fiscal_year(value: PartialDate, start_month: int | None) -> PartialDate:
    """A date with its fiscal year read in a fiscal calendar starting in `start_month` (1-12; None: the matter has
    none, and "FY2024" is refused). A fiscal year is named by the calendar year it ends in (US federal style):
    starting in July, FY2024 is July 2023 – June 2024."""
    if not value.fiscal:
        return value
    year = value.start.year
    if start_month is None:
        raise invalid(FISCAL_YEAR_UNSET.format(year))
    if start_month == 1:
        found = Period(DatePoint(Precision.YEAR, year))
    else:
        first, last = (
            DatePoint(Precision.MONTH, year - 1, start_month),
            DatePoint(Precision.MONTH, year, start_month - 1),
        )
        found = Period(first, last)
    return bounded(found, approximate=value.approximate, bound=value.bound)
