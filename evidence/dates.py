"""Partial dates: the one place that parses, orders and displays the date of an event or a document.

A date is stated as it is known and never made more precise: "Aug 2024" is a month, not 2024-08-01. A
`PartialDate` is a start `DatePoint` (year, month, day or minute precision), an optional range end with its own
precision, an *approximate* ("c.") flag and an optional bound ("before" / "after"); `UNDATED` has no start.

Minute is the finest precision: seconds in the input are dropped (truncated, not rounded), because nothing in a
chronology is stated to the second and a second-precision value would display a time the source did not give.

Time zones (`DatePoint.tz`, minute precision only): "" when the source states none, "UTC", a fixed offset stored
as "+05:30", or an IANA name. Abbreviations are read through `ZONE_ABBREVIATIONS`:

    PST PDT -> America/Los_Angeles    EST EDT -> America/New_York     BST -> Europe/London
    MST MDT -> America/Denver         GMT UTC Z -> UTC                CET CEST -> Europe/Paris
    CST CDT -> America/Chicago

so "9:30 PST" is read as the Los Angeles wall clock (and "PST" in July displays as "PDT"). A zone is displayed by its
abbreviation on that date when the abbreviation leads back to the same zone, else as "UTC+05:30" or the IANA name.
IANA names that are also abbreviations in the table ("EST", "MST", "GMT", "CET") are refused: they would not survive
a display/parse round trip, and "EST" would silently mean something else than it does in the table.

Day/month order: `day_first=None` reads month/day (US) unless the first number is > 12 and the second <= 12;
True/False force the order. `detect_day_first` decides a spreadsheet column's order from its values.

Ordering contract (`PartialDate.sort_key`, stored in an indexed column and compared as a plain string):

* The key is `SORT_KEY_LENGTH` (32) characters of digits only, so byte-wise (C, SQLite) and linguistic (en_US, ICU)
  collations order it the same way. It is the start point's key (16) followed by the end point's key (16).
* A point's key is its year, then per finer level a marker and the value: within the block a period covers, the
  period itself (a date known only to that precision) comes first, then its finer dates in order. So
  2024 < Aug 2024 < Aug 15, 2024 < Aug 15, 2024 9:30 AM < Aug 16, 2024 < Sept 2024.
* "before X" sorts at the very start of X's block (before X itself, after everything earlier than X);
  "after X" at the very end of X's block (after everything inside X, before X's next sibling).
  So July 2024 < before Aug 2024 < Aug 2024 < Aug 15, 2024 < after Aug 2024 < Sept 2024.
* Minutes sort by the wall-clock time in the event's own zone, not converted to UTC: a chronology records the date
  and time as the source states them; mixing zones inside one day is rare, and converting would move an event to
  another calendar day than the one its source gives.
* Approximate ("c.") does not change the position.
* A range sorts by its start, then by its end, earlier end first (so a single date sorts before ranges starting
  at the same point, and shorter ranges before longer ones). A single date's end key is its start's exact key.
* Undated sorts last (`UNDATED_SORT_KEY`, all "Z").
* Equal keys are left to the caller (an event's manual order).

`first_day()` / `last_day()` are the calendar days the stated point (or range) covers, for filtering only; bounds and
"c." do not widen them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import operator
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

__all__ = [
    "Bound", "DatePoint", "PartialDate", "Precision", "SORT_KEY_LENGTH", "UNDATED", "UNDATED_SORT_KEY",
    "ZONE_ABBREVIATIONS", "detect_day_first", "parse", "parse_point",
]  # fmt: skip


class Precision(enum.IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4


class Bound(enum.StrEnum):
    NONE = ""
    BEFORE = "before"
    AFTER = "after"


ZONE_ABBREVIATIONS: dict[str, str] = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York",
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC",
    "BST": "Europe/London",
    "CET": "Europe/Paris", "CEST": "Europe/Paris",
}  # fmt: skip

POINT_KEY_LENGTH = 16
SORT_KEY_LENGTH = 2 * POINT_KEY_LENGTH
UNDATED_SORT_KEY = "Z" * SORT_KEY_LENGTH
RANGE_SEPARATOR = " \u2013 "

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
UNREADABLE = (
    "could not read '{}' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', '2024-08-15', "
    "'Jan 24, 2025, 9:30 AM PST' or 'unknown'"
)
_OFFSET_RE = re.compile(r"([+-])(\d{2}):(\d{2})")
_MAX_OFFSET_MINUTES = 14 * 60


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_date")


@functools.cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _check_tz(tz: str) -> None:
    if tz in ("", "UTC"):
        return
    if m := _OFFSET_RE.fullmatch(tz):
        if int(m[3]) > 59 or int(m[2]) * 60 + int(m[3]) > _MAX_OFFSET_MINUTES:
            raise _invalid(f"time zone offset '{tz}' does not exist")
        return
    if tz.upper() in ZONE_ABBREVIATIONS:
        raise _invalid(f"time zone '{tz}' is ambiguous; write 'UTC', an offset such as '-05:00' or an IANA name "
                       f"such as '{ZONE_ABBREVIATIONS[tz.upper()]}'")  # fmt: skip
    if tz not in _iana_names().values():
        raise _invalid(f"unknown time zone '{tz}'")


def _tzinfo(tz: str) -> dt.tzinfo:
    if tz == "UTC":
        return dt.UTC
    if m := _OFFSET_RE.fullmatch(tz):
        minutes = int(m[2]) * 60 + int(m[3])
        return dt.timezone(dt.timedelta(minutes=-minutes if m[1] == "-" else minutes))
    return zoneinfo.ZoneInfo(tz)


@dataclass(frozen=True)
class DatePoint:
    """One date known to `precision`: the parts finer than the precision are None. Years run 1000-9999."""

    precision: Precision
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    tz: str = ""

    def __post_init__(self):
        try:
            precision = Precision(self.precision)
        except ValueError:
            raise _invalid(f"precision {self.precision!r} does not exist") from None
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "tz", self.tz or "")
        needed = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2, Precision.MINUTE: 4}[precision]
        for i, name in enumerate(("year", "month", "day", "hour", "minute")):
            value = getattr(self, name)
            required = i <= needed
            if required and value is None:
                raise _invalid(f"a {precision.name.lower()}-precision date needs its {name}")
            if not required and value is not None:
                raise _invalid(f"a {precision.name.lower()}-precision date cannot have a {name}")
            if value is not None:
                try:
                    object.__setattr__(self, name, operator.index(value))
                except TypeError:
                    raise _invalid(f"{name} {value!r} is not a whole number") from None
        year, month, day, hour, minute = self.year, self.month, self.day, self.hour, self.minute
        if not 1000 <= year <= 9999:
            raise _invalid(f"year {year} is out of range; write the full year (1000 to 9999)")
        if month is not None and not 1 <= month <= 12:
            raise _invalid(f"month {month} does not exist")
        if day is not None:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= 31:
                raise _invalid(f"day {day} does not exist")
            if day > days:
                raise _invalid(f"{MONTH_NAMES[month - 1]} has {days} days in {year}")
        if hour is not None and not 0 <= hour <= 23:
            raise _invalid(f"hour {hour} does not exist")
        if minute is not None and not 0 <= minute <= 59:
            raise _invalid(f"minute {minute} does not exist")
        if self.tz and precision != Precision.MINUTE:
            raise _invalid("a time zone needs a time of day")
        _check_tz(self.tz)

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.precision >= Precision.MONTH:
            text += f"-{self.month:02d}"
        if self.precision >= Precision.DAY:
            text += f"-{self.day:02d}"
        if self.precision == Precision.MINUTE:
            text += f"T{self.hour:02d}:{self.minute:02d}"
        return text

    @classmethod
    def from_iso(cls, text: str, tz: str = "") -> DatePoint:
        """The inverse of iso(); the zone is passed apart and only kept for minute precision."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2}))?)?)?", (text or "").strip())
        if not m:
            raise _invalid(f"'{text}' is not an ISO date such as '2024', '2024-08', '2024-08-15' or '2024-08-15T09:30'")
        parts = [int(p) if p is not None else None for p in m.groups()]
        precision = Precision(1 + sum(p is not None for p in parts[1:4]))
        return cls(precision, *parts, tz=tz if precision == Precision.MINUTE else "")

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> str:
        return _point_key(self, Bound.NONE)


def _point_key(point: DatePoint, bound: Bound) -> str:
    """16 digits: year, then per finer level "2" + value; where the point stops, an edge marker: "0" before it
    (its very start), "1" the point itself (before its finer dates, which start with "2"), "3" after it."""
    edge = {Bound.BEFORE: "0", Bound.NONE: "1", Bound.AFTER: "3"}[bound]
    key = f"{point.year:04d}"
    if point.precision >= Precision.MONTH:
        key += f"2{point.month:02d}"
    if point.precision >= Precision.DAY:
        key += f"2{point.day:02d}"
    if point.precision == Precision.MINUTE:
        key += f"2{point.hour:02d}{point.minute:02d}"
    return (key + edge).ljust(POINT_KEY_LENGTH, "0")


def _ends_before(start: DatePoint, end: DatePoint) -> bool:
    if start.precision == end.precision == Precision.MINUTE and start.tz and end.tz:
        return _aware(end) < _aware(start)
    return end.sort_key() < start.sort_key()


def _aware(p: DatePoint) -> dt.datetime:
    return dt.datetime(p.year, p.month, p.day, p.hour, p.minute, tzinfo=_tzinfo(p.tz))


def _zone_text(p: DatePoint) -> str:
    if not p.tz or p.tz == "UTC":
        return p.tz
    if _OFFSET_RE.fullmatch(p.tz):
        return f"UTC{p.tz}"
    abbreviation = zoneinfo.ZoneInfo(p.tz).tzname(dt.datetime(p.year, p.month, p.day, p.hour, p.minute))
    if abbreviation and ZONE_ABBREVIATIONS.get(abbreviation.upper()) == p.tz:
        return abbreviation
    return p.tz


def _show(p: DatePoint) -> str:
    if p.precision == Precision.YEAR:
        return str(p.year)
    if p.precision == Precision.MONTH:
        return f"{MONTH_ABBR[p.month - 1]} {p.year}"
    text = f"{MONTH_ABBR[p.month - 1]} {p.day}, {p.year}"
    if p.precision == Precision.MINUTE:
        text += f", {(p.hour - 1) % 12 + 1}:{p.minute:02d} {'AM' if p.hour < 12 else 'PM'}"
        if zone := _zone_text(p):
            text += f" {zone}"
    return text


@dataclass(frozen=True)
class PartialDate:
    start: DatePoint | None = None
    end: DatePoint | None = None
    approximate: bool = False
    bound: Bound = Bound.NONE

    def __post_init__(self):
        try:
            bound = Bound(self.bound or "")
        except ValueError:
            raise _invalid(f"bound '{self.bound}' must be 'before', 'after' or empty") from None
        object.__setattr__(self, "bound", bound)
        object.__setattr__(self, "approximate", bool(self.approximate))
        for point in (self.start, self.end):
            if point is not None and not isinstance(point, DatePoint):
                raise _invalid(f"{point!r} is not a DatePoint")
        if self.start is None:
            if self.end is not None:
                raise _invalid("a range end needs a start")
            if self.approximate or bound:
                raise _invalid("an undated date cannot be approximate, 'before' or 'after'")
        elif self.end is not None:
            if bound:
                raise _invalid("'before'/'after' cannot be combined with a range")
            if _ends_before(self.start, self.end):
                raise _invalid(f"the range ends ({_show(self.end)}) before it starts ({_show(self.start)})")

    @property
    def undated(self) -> bool:
        return self.start is None

    def display(self) -> str:
        start, end = self.start, self.end
        if start is None:
            return "Date unknown"
        prefix = ("c. " if self.approximate else "") + (f"{self.bound} " if self.bound else "")
        if end is None:
            return prefix + _show(start)
        if start.year == end.year and start.precision == end.precision == Precision.MONTH:
            body = f"{MONTH_ABBR[start.month - 1]}{RANGE_SEPARATOR}{_show(end)}"
        elif start.year == end.year and start.precision == end.precision == Precision.DAY:
            body = f"{MONTH_ABBR[start.month - 1]} {start.day}{RANGE_SEPARATOR}{_show(end)}"
        else:
            body = f"{_show(start)}{RANGE_SEPARATOR}{_show(end)}"
        return prefix + body

    def sort_key(self) -> str:
        if self.start is None:
            return UNDATED_SORT_KEY
        return _point_key(self.start, self.bound) + (self.end or self.start).sort_key()

    def first_day(self) -> dt.date | None:
        return self.start.first_day() if self.start else None

    def last_day(self) -> dt.date | None:
        return (self.end or self.start).last_day() if self.start else None

    def __str__(self) -> str:
        return self.display()


UNDATED = PartialDate()


# ---------------------------------------------------------------------------------------------------------------
# Parsing


class _Unreadable(Exception):
    """The text is not a form we know; reported with the generic 'could not read' message."""


_UNDATED_TEXTS = {
    "", "tbd", "tba", "unknown", "date unknown", "unknown date", "undated", "no date", "n/a", "n.d.", "?", "??",
    "??/??/????", "00/00/0000",
}  # fmt: skip
_APPROX_RE = re.compile(r"(?:approximately|approx\.?|circa|ca\.|ca\b|c\.|c\b|about|around|~)\s*", re.I)
_BOUND_RE = re.compile(r"(before|prior to|after)\b\s*", re.I)
_BETWEEN_RE = re.compile(r"between\s+(.+?)\s+and\s+(.+)", re.I)
_SEP_RE = re.compile(r"\s*\u2013\s*|\s+(?:to|through|thru|until|till)\s+|\s+-\s+", re.I)
_M = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
      r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")  # fmt: skip
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_NAMED_FORMS = [  # (regex, needs a borrowed year)
    (re.compile(rf"{_M}[\s,/-]*(?P<y>\d{{4}})", re.I), False),
    (re.compile(rf"{_M}\s*{_D}[\s,/-]+(?P<y>\d{{4}})", re.I), False),
    (re.compile(rf"{_D}[\s/-]*(?:of\s+)?{_M}[\s,/-]*(?P<y>\d{{4}})", re.I), False),
    (re.compile(_M, re.I), True),
    (re.compile(rf"{_M}\s*{_D}", re.I), True),
    (re.compile(rf"{_D}\s*(?:of\s+)?{_M}", re.I), True),
]
_ISO_RE = re.compile(r"(?P<y>\d{4})(?:[-/](?P<m>\d{1,2}|\?\?)(?:[-/](?P<d>\d{1,2}|\?\?))?)?")
_NUMERIC_RE = re.compile(r"(?P<a>\d{1,2}|\?{1,2})[/-](?P<b>\d{1,2}|\?{1,2})[/-](?P<y>\d{4})")
_MONTH_YEAR_RE = re.compile(r"(?P<a>\d{1,2}|\?{1,2})[/-](?P<y>\d{4})")
_TWO_DIGIT_YEAR_RES = [
    re.compile(r"\d{1,2}[/-]\d{1,2}[/-](\d{2})"),
    re.compile(r"\d{1,2}/(\d{2})"),
    re.compile(rf"{_M}\s*'(\d{{2}})", re.I),
    re.compile(rf"{_M}\s*{_D},?\s*'?(\d{{2}})", re.I),
    re.compile(rf"{_D}[\s/-]*{_M}[\s,/-]*'?(\d{{2}})", re.I),
    re.compile(r"'(\d{2})"),
]
_WEEKDAY_RE = re.compile(
    r"(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?"
    r"|sun(?:day)?)\.?,?\s+", re.I)  # fmt: skip
_TIME_RE = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?(?:\s*(?P<ap>[ap])\.?\s?m\.?(?![a-z]))?", re.I
)
_HOUR_ONLY_RE = re.compile(r"(?<![\d:/.-])(?P<h>\d{1,2})\s*(?P<ap>[ap])\.?\s?m\.?(?![a-z])", re.I)
_ZONE_OFFSET_RE = re.compile(r"(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.I)
_DMY_SEARCH_RE = re.compile(r"(?<![\d/-])(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})(?![\d/])")


def parse(text: str, *, day_first: bool | None = None) -> PartialDate:
    """Read a date as people write it ("c. Sept 2024", "Aug – Sept 2024", "1/21/2025 9:30am PST", "unknown")."""
    return _reporting(_parse, text, day_first)


def parse_point(text: str, *, day_first: bool | None = None) -> DatePoint:
    """Read one date, without prefixes or a range ("2024-08", "Aug 15, 2024", "08/??/2024")."""
    return _reporting(lambda s, df: _parse_point(s, df), text, day_first)


def detect_day_first(values: Iterable[str]) -> bool | None:
    """The day/month order a column of values proves: True (some "21/01/2025"), False (some "01/21/2025") or None."""
    day_first: list[str] = []
    month_first: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        for m in _DMY_SEARCH_RE.finditer(_normalise(value)):
            a, b = int(m[1]), int(m[2])
            if a > 12 and 1 <= b <= 12:
                day_first.append(value.strip())
            elif b > 12 and 1 <= a <= 12:
                month_first.append(value.strip())
    if day_first and month_first:
        examples = ", ".join(f"'{v}'" for v in day_first[:3]), ", ".join(f"'{v}'" for v in month_first[:3])
        raise _invalid(f"the values mix day-first dates ({examples[0]}) and month-first dates ({examples[1]}); "
                       "write them all in one order")  # fmt: skip
    return True if day_first else False if month_first else None


def _reporting(parser, text, day_first):
    if text is None:
        text = ""
    shown = " ".join(str(text).split())
    try:
        return parser(_normalise(str(text)), day_first)
    except _Unreadable:
        raise _invalid(UNREADABLE.format(shown)) from None
    except ValidationError as error:
        raise _invalid(f"'{shown}': " + "; ".join(error.messages)) from None


def _normalise(text: str) -> str:
    text = text.translate({0x2013: "\u2013", 0x2014: "\u2013", 0x2015: "\u2013", 0x2010: "-", 0x2011: "-",
                           0x2012: "-", 0x2212: "-", 0xFE63: "-", 0xFF0D: "-"})  # fmt: skip
    return " ".join(text.split())


def _parse(s: str, day_first: bool | None) -> PartialDate:
    if s.lower() in _UNDATED_TEXTS:
        return UNDATED
    approximate, bound = False, Bound.NONE
    while True:
        if m := _APPROX_RE.match(s):
            approximate = True
        elif m := _BOUND_RE.match(s):
            new = Bound.BEFORE if m[1].lower() in ("before", "prior to") else Bound.AFTER
            if bound and bound != new:
                raise _invalid("a date cannot be both 'before' and 'after'")
            bound = new
        else:
            break
        s = s[m.end() :]
    if not s:
        raise _Unreadable
    halves = _explicit_range(s)
    if halves is None:
        try:
            return PartialDate(_parse_point(s, day_first), None, approximate, bound)
        except _Unreadable:
            candidates = _hyphen_splits(s)
            if not candidates:
                raise
        first_error = None
        for halves in candidates:  # an unspaced hyphen: "Aug-Sept 2024"; the first reading that works
            try:
                return _make_range(halves, day_first, approximate, bound)
            except (ValidationError, _Unreadable) as error:
                first_error = first_error or error
        raise first_error
    return _make_range(halves, day_first, approximate, bound)


def _explicit_range(s: str) -> tuple[str, str] | None:
    if m := _BETWEEN_RE.fullmatch(s):
        return m[1], m[2]
    from_ = re.match(r"from\s+", s, re.I)
    parts = _SEP_RE.split(s[from_.end() :] if from_ else s)
    if len(parts) == 1 and not from_:
        return None
    if len(parts) != 2 or not all(parts):
        raise _Unreadable
    return parts[0], parts[1]


def _hyphen_splits(s: str) -> list[tuple[str, str]]:
    if m := re.fullmatch(r"(\d{4})-(\d{4})", s):
        return [(m[1], m[2])]
    return [
        (s[:i].strip(), s[i + 1 :].strip())
        for i, ch in enumerate(s)
        if ch == "-" and 0 < i < len(s) - 1 and (s[i - 1].isalpha() or s[i + 1].isalpha())
    ]


def _make_range(halves: tuple[str, str], day_first, approximate: bool, bound: Bound) -> PartialDate:
    if bound:
        raise _invalid("'before'/'after' cannot be combined with a range")
    a, b = halves
    if day_first is None:
        day_first = detect_day_first([a, b])  # both ends in one order
    if m := re.fullmatch(r"(\d{1,2}),?\s+(\d{4})", b):  # "Aug 1 – 15, 2024": the end borrows the start's month
        start = _parse_point(a, day_first, default_year=int(m[2]))
        if start.precision != Precision.DAY:
            raise _Unreadable
        end = DatePoint(Precision.DAY, start.year, start.month, int(m[1]))
    else:
        end = _parse_point(b, day_first)
        start = _parse_point(a, day_first, default_year=end.year)
    return PartialDate(start, end, approximate, bound)


def _parse_point(s: str, day_first: bool | None, default_year: int | None = None) -> DatePoint:
    s = s.strip(" ,")
    weekday = None
    if m := _WEEKDAY_RE.match(s):
        weekday = m["wd"][:3].lower()
        s = s[m.end() :]
    time = _TIME_RE.search(s) or _HOUR_ONLY_RE.search(s)
    date_text = s[: time.start()] if time else s
    date_text = re.sub(r"(?:(?<=\d)t|[\s,]+(?:at)?)\s*$", "", date_text.strip(), flags=re.I).strip(" ,")
    precision, year, month, day = _parse_calendar(date_text, day_first, default_year)
    if time:
        if precision != Precision.DAY:
            raise _invalid("a time of day needs a full date (month, day and year)")
        hour, minute = _read_time(time)
        point = DatePoint(Precision.MINUTE, year, month, day, hour, minute, _parse_zone(s[time.end() :]))
    else:
        point = DatePoint(precision, year, month, day)
    if weekday is not None:
        if precision < Precision.DAY:
            raise _invalid("a weekday needs a full date")
        actual = WEEKDAY_NAMES[dt.date(year, month, day).weekday()]
        if actual[:3].lower() != weekday:
            named = next(w for w in WEEKDAY_NAMES if w[:3].lower() == weekday)
            raise _invalid(f"{_show(DatePoint(Precision.DAY, year, month, day))} is a {actual}, not a {named}")
    return point


def _read_time(m: re.Match) -> tuple[int, int]:
    hour = int(m["h"])
    minute = int(m.groupdict().get("mi") or 0)
    if (seconds := m.groupdict().get("s")) and int(seconds) > 60:
        raise _invalid(f"second {int(seconds)} does not exist")
    if ap := m["ap"]:
        if not 1 <= hour <= 12:
            raise _invalid(f"hour {hour} does not exist on a 12-hour clock")
        hour = hour % 12 + (12 if ap.lower() == "p" else 0)
    return hour, minute


def _parse_zone(text: str) -> str:
    text = text.strip(" ,")
    if not text:
        return ""
    if text.upper() in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[text.upper()]
    if m := _ZONE_OFFSET_RE.fullmatch(text):
        hours, minutes = int(m[2]), int(m[3] or 0)
        if minutes > 59 or hours * 60 + minutes > _MAX_OFFSET_MINUTES:
            raise _invalid(f"time zone offset '{text}' does not exist")
        return f"{m[1]}{hours:02d}:{minutes:02d}"
    if name := _iana_names().get(text.lower()):
        return name
    raise _invalid(f"unknown time zone '{text}'")


def _parse_calendar(s: str, day_first: bool | None, default_year: int | None):
    """(precision, year, month, day) of a date without time; unknown parts are None."""
    if m := _ISO_RE.fullmatch(s):
        month, day = _known(m["m"]), _known(m["d"])
        return _fuzzy(int(m["y"]), month, day)
    if m := _NUMERIC_RE.fullmatch(s):
        a, b = _known(m["a"]), _known(m["b"])
        if day_first is None:
            day_first = a is not None and b is not None and a > 12 and b <= 12
        month, day = (b, a) if day_first else (a, b)
        return _fuzzy(int(m["y"]), month, day)
    if m := _MONTH_YEAR_RE.fullmatch(s):
        return _fuzzy(int(m["y"]), _known(m["a"]), None)
    for regex, borrows in _NAMED_FORMS:
        if m := regex.fullmatch(s):
            month = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(
                m["mon"][:3].lower()
            ) + 1
            day = int(m["d"]) if "d" in m.groupdict() else None
            if borrows and default_year is None:
                raise _invalid("no year given; write the full year")
            year = default_year if borrows else int(m["y"])
            return (Precision.DAY if day is not None else Precision.MONTH), year, month, day
    for regex in _TWO_DIGIT_YEAR_RES:
        if m := regex.fullmatch(s):
            raise _invalid(f"two-digit year '{m.groups()[-1]}' is ambiguous; write the full year")
    raise _Unreadable


def _known(part: str | None) -> int | None:
    """A numeric part, None when CaseMap marks it unknown ("??" or zero)."""
    if part is None or "?" in part or int(part) == 0:
        return None
    return int(part)


def _fuzzy(year: int, month: int | None, day: int | None):
    if month is None and day is not None:
        raise _invalid(f"day {day} is given without its month; write the month or leave the day out")
    precision = Precision.YEAR if month is None else Precision.MONTH if day is None else Precision.DAY
    return precision, year, month, day
