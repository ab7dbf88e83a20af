"""The partial-date value types: validation, display and order (the contract is in evidence.dates)."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import operator
import re
from dataclasses import dataclass

from evidence.dates import zones
from evidence.dates.errors import invalid as _invalid


class Precision(enum.IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4


class Bound(enum.StrEnum):
    NONE = ""
    BEFORE = "before"
    AFTER = "after"


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
FISCAL_YEAR_UNSET = (
    "'FY{}' needs the matter's fiscal year: set the month the matter's fiscal year starts in, or write the months "
    "(e.g. 'July 2023 – June 2024')"
)
# Parts of a month as lawyers write them ("early Aug 2024"): stored as these days, approximate.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


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
        zones.check(self.tz)

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

    def sort_key(self, home: str | None = None) -> str:
        return _point_key(self, Bound.NONE, home)

    def local_day(self, home: str | None = None) -> dt.date:
        """The calendar day a timed point falls on in `home` (by default in its own zone)."""
        return _clock(self, home)[0]


def _clock(p: DatePoint, home: str | None) -> tuple[dt.date, int]:
    """The calendar day a timed point falls on in `home` (its own zone when None) and the minutes elapsed since that
    day began there: counted on the instant, so the repeated hour of a fall-back night still sorts in order. A time
    stated without a zone is read on `home`'s clock."""
    source, target = p.tz or home, home or p.tz
    if source:
        try:
            aware = dt.datetime(p.year, p.month, p.day, p.hour, p.minute, tzinfo=zones.tzinfo(source))
            day = aware.astimezone(zones.tzinfo(target)).date()
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=zones.tzinfo(target))
            # Both sides in UTC: Python subtracts two datetimes of one zone object by their wall clocks.
            elapsed = (aware.astimezone(dt.UTC) - midnight.astimezone(dt.UTC)) // dt.timedelta(minutes=1)
            return day, min(max(elapsed, 0), 9999)
        except OverflowError:  # Dec 31, 9999 late in the day: its own wall clock
            pass
    return dt.date(p.year, p.month, p.day), p.hour * 60 + p.minute


def _point_key(point: DatePoint, bound: Bound, home: str | None) -> str:
    """16 digits: year, then per finer level "2" + value; where the point stops, an edge marker: "0" before it
    (its very start), "1" the point itself (before its finer dates, which start with "2"), "3" after it. A time's
    year, month and day are those of its day in `home`, and its value the minutes since that day began."""
    edge = {Bound.BEFORE: "0", Bound.NONE: "1", Bound.AFTER: "3"}[bound]
    if point.precision == Precision.MINUTE:
        day, elapsed = _clock(point, home)
        key = f"{day.year:04d}2{day.month:02d}2{day.day:02d}2{elapsed:04d}"
    else:
        key = f"{point.year:04d}"
        if point.precision >= Precision.MONTH:
            key += f"2{point.month:02d}"
        if point.precision >= Precision.DAY:
            key += f"2{point.day:02d}"
    return (key + edge).ljust(POINT_KEY_LENGTH, "0")


def _ends_before(start: DatePoint, end: DatePoint) -> bool:
    if start.precision == end.precision == Precision.MINUTE and start.tz and end.tz:
        return _aware(end) < _aware(start)
    return end.sort_key() < start.sort_key()


def _aware(p: DatePoint) -> dt.datetime:
    return dt.datetime(p.year, p.month, p.day, p.hour, p.minute, tzinfo=zones.tzinfo(p.tz))


def _show(p: DatePoint) -> str:
    if p.precision == Precision.YEAR:
        return str(p.year)
    if p.precision == Precision.MONTH:
        return f"{MONTH_ABBR[p.month - 1]} {p.year}"
    text = f"{MONTH_ABBR[p.month - 1]} {p.day}, {p.year}"
    if p.precision == Precision.MINUTE:
        text += f", {(p.hour - 1) % 12 + 1}:{p.minute:02d} {'AM' if p.hour < 12 else 'PM'}"
        if zone := zones.label(p.tz, dt.datetime(p.year, p.month, p.day, p.hour, p.minute)):
            text += f" {zone}"
    return text


def display_day(day: dt.date) -> str:
    """A calendar day (a filter's bound) written as a day-precision date is."""
    return _show(DatePoint(Precision.DAY, day.year, day.month, day.day))


def display_instant(moment: dt.datetime, zone: str) -> str:
    """An aware datetime (an export's "as of", a capture time) written as every timed date is, in `zone`."""
    t = moment.astimezone(zones.tzinfo(zone))
    return _show(DatePoint(Precision.MINUTE, t.year, t.month, t.day, t.hour, t.minute, zone))


def _part_of_month(start: DatePoint, end: DatePoint) -> str | None:
    """ "early", "mid" or "late" when the two days are exactly that part of one month (see MONTH_PARTS)."""
    if not (start.precision == end.precision == Precision.DAY and (start.year, start.month) == (end.year, end.month)):
        return None
    last = calendar.monthrange(start.year, start.month)[1]
    for part, (first, final) in MONTH_PARTS.items():
        if (start.day, end.day) == (first, min(final, last)):
            return part
    return None


@dataclass(frozen=True)
class PartialDate:
    """`fiscal`: the start is a year that names a fiscal year ("FY2024"), not yet read in a matter's fiscal calendar
    (see evidence.dates.lawyer.fiscal_year); it has no order or days until it is."""

    start: DatePoint | None = None
    end: DatePoint | None = None
    approximate: bool = False
    bound: Bound = Bound.NONE
    fiscal: bool = False

    def __post_init__(self):
        try:
            bound = Bound(self.bound or "")
        except ValueError:
            raise _invalid(f"bound '{self.bound}' must be 'before', 'after' or empty") from None
        object.__setattr__(self, "bound", bound)
        object.__setattr__(self, "approximate", bool(self.approximate))
        object.__setattr__(self, "fiscal", bool(self.fiscal))
        for point in (self.start, self.end):
            if point is not None and not isinstance(point, DatePoint):
                raise _invalid(f"{point!r} is not a DatePoint")
        if self.start is None:
            if self.end is not None:
                raise _invalid("a range end needs a start")
            if self.approximate or bound or self.fiscal:
                raise _invalid("an undated date cannot be approximate, 'before' or 'after'")
        elif self.end is not None:
            if bound:
                raise _invalid("'before'/'after' cannot be combined with a range")
            if _ends_before(self.start, self.end):
                raise _invalid(f"the range ends ({_show(self.end)}) before it starts ({_show(self.start)})")
        if self.fiscal and (self.end is not None or self.start.precision != Precision.YEAR):
            raise _invalid("a fiscal year is one year")

    @property
    def undated(self) -> bool:
        return self.start is None

    def display(self) -> str:
        start, end = self.start, self.end
        if start is None:
            return "Date unknown"
        prefix = ("c. " if self.approximate else "") + (f"{self.bound} " if self.bound else "")
        if self.fiscal:
            return f"{prefix}FY{start.year}"
        if end is None:
            return prefix + _show(start)
        if self.approximate and (part := _part_of_month(start, end)):
            return f"{part} {MONTH_ABBR[start.month - 1]} {start.year}"
        if start.year == end.year and start.precision == end.precision == Precision.MONTH:
            body = f"{MONTH_ABBR[start.month - 1]}{RANGE_SEPARATOR}{_show(end)}"
        elif start.year == end.year and start.precision == end.precision == Precision.DAY:
            body = f"{MONTH_ABBR[start.month - 1]} {start.day}{RANGE_SEPARATOR}{_show(end)}"
        else:
            body = f"{_show(start)}{RANGE_SEPARATOR}{_show(end)}"
        return prefix + body

    def _placed(self) -> None:
        if self.fiscal:
            raise _invalid(FISCAL_YEAR_UNSET.format(self.start.year))

    def sort_key(self, home: str | None = None) -> str:
        """See the ordering contract in evidence.dates; `home` is the matter's zone, in which times are placed."""
        if self.start is None:
            return UNDATED_SORT_KEY
        self._placed()
        return _point_key(self.start, self.bound, home) + (self.end or self.start).sort_key(home)

    def first_day(self, home: str | None = None) -> dt.date | None:
        """The first calendar day the stated date covers (bounds and "c." aside); a time's day is the one in `home`."""
        if self.start is None:
            return None
        self._placed()
        start = self.start
        return start.local_day(home) if start.precision == Precision.MINUTE else start.first_day()

    def last_day(self, home: str | None = None) -> dt.date | None:
        if self.start is None:
            return None
        self._placed()
        end = self.end or self.start
        return end.local_day(home) if end.precision == Precision.MINUTE else end.last_day()

    def span(self, home: str | None = None) -> tuple[dt.date, dt.date] | None:
        """The days the event may fall on: the stated days, opened to dt.date.min by "before" (which ends the day
        before them) and to dt.date.max by "after" (which starts the day after). "c." does not widen it: we do not
        invent a margin the source did not give."""
        first, last = self.first_day(home), self.last_day(home)
        if first is None:
            return None
        if self.bound == Bound.BEFORE:
            return dt.date.min, first - dt.timedelta(days=1)
        if self.bound == Bound.AFTER:
            return (last + dt.timedelta(days=1) if last < dt.date.max else last), dt.date.max
        return first, last

    def __str__(self) -> str:
        return self.display()


UNDATED = PartialDate()
