"""The partial-date value types: validation, display and order (the contract is in evidence.dates)."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import operator
import re
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError


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
