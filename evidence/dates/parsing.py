"""Reading dates as people and spreadsheets write them (the forms and rules are in evidence.dates).

CaseMap's forms are read everywhere: "08/??/2024" and "??/??/2024" (a month, a year), "NA" and "TBD" (undated),
and its date status marks "<06/15/2024" (before), ">06/15/2024" (after), "~06/15/2024" (about) and "=06/15/2024"
(on). Its "=<" / "=>" (on or before / on or after) are refused, with the "before" / "after" date that means the
same: a bound here excludes its date, and that date is shown as written.

Two-digit years ("8/24", "8/15/24", CaseMap's and Excel's short forms) are refused unless `short_years` is set, as
imports of spreadsheets set it: then a numeric date's two-digit year is read as Excel reads it, 30-99 as 1930-1999
and 00-29 as 2000-2029 (SHORT_YEAR_PIVOT), and "8/24" is a month, Aug 2024 (CaseMap reads "8/99" as 08/??/1999).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from evidence.dates import lawyer, zones
from evidence.dates.errors import invalid as _invalid
from evidence.dates.values import UNDATED, UNREADABLE, WEEKDAY_NAMES, Bound, DatePoint, PartialDate, Precision, _show


class _Unreadable(Exception):
    """The text is not a form we know; reported with the generic 'could not read' message."""


_UNDATED_TEXTS = {
    "", "tbd", "tba", "unknown", "date unknown", "unknown date", "undated", "no date", "n/a", "n.d.", "?", "??",
    "??/??/????", "00/00/0000", "na",
}  # fmt: skip
_APPROX_RE = re.compile(
    r"(?:(?:on|in) or (?:about|around)|approximately|approx\.?|circa|ca\.|ca\b|c\.|c\b|about|around|~)\s*", re.I
)
# Words that add nothing to the date: "on Sept 18, 2024", "in Aug 2024", "sometime in 2024".
_PLAIN_RE = re.compile(r"(?:on|in|during|some\s?time in)\s+", re.I)
_BOUND_RE = re.compile(r"(?:(before|prior to|after)\b|([<>]))\s*", re.I)
# "on or before" has no exact form here: a bound excludes its date (refused, naming the date that means the same)
_ON_OR_RE = re.compile(r"(?:on or (before|after)\b|(=<|<=)|(=>|>=))\s*", re.I)
_ON_RE = re.compile(r"=\s*")  # TimeMap's and CaseMap's "=06/15/2024": on that date
# Excel's two-digit-year window: below the pivot is 20xx, from it 19xx
SHORT_YEAR_PIVOT = 30
_SHORT_DMY_RE = re.compile(r"(?<![\d/?])(\d{1,2}|\?{1,2})/(\d{1,2}|\?{1,2})/(\d{2})(?![\d/])")
_SHORT_MY_RE = re.compile(r"(?<![\d/?:.])(\d{1,2}|\?{1,2})/(\d{2})(?![\d/:])")
CASEMAP_FORMS = (
    "CaseMap's forms are read too: '08/??/2024' (a month), '??/??/2024' (a year), '<06/15/2024' (before), "
    "'>06/15/2024' (after), '~06/15/2024' (about)"
)
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
_DMY_SEARCH_RE = re.compile(r"(?<![\d/-])(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})(?![\d/])")


def parse(text: str, *, day_first: bool | None = None, short_years: bool = False) -> PartialDate:
    """Read a date as people write it ("c. Sept 2024", "Aug – Sept 2024", "1/21/2025 9:30am PST", "unknown").
    `short_years`: read a numeric date's two-digit year in Excel's window (see the module's docstring)."""
    if short_years:
        return _reporting(lambda s, df: _parse(expand_short_years(s), df), text, day_first)
    return _reporting(_parse, text, day_first)


def expand_short_years(text: str) -> str:
    """ "8/15/24" -> "8/15/2024", "8/24" -> "8/2024", "08/??/99" -> "08/??/1999"; other text as it is."""
    if "/" not in text:
        return text
    text = _SHORT_DMY_RE.sub(lambda m: f"{m[1]}/{m[2]}/{_full_year(m[3])}", text)
    return _SHORT_MY_RE.sub(lambda m: f"{m[1]}/{_full_year(m[2])}", text)


def has_short_year(text: str) -> bool:
    """Whether `expand_short_years` would read a two-digit year in `text`."""
    return "/" in text and expand_short_years(text) != text


def _full_year(two_digits: str) -> str:
    year = int(two_digits)
    return str((2000 if year < SHORT_YEAR_PIVOT else 1900) + year)


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
        hint = f"; {lawyer.ACCEPTED}" if lawyer.LOOKS_LIKE.search(shown) else ""
        if any(mark in shown for mark in "<>?#"):
            hint += f"; {CASEMAP_FORMS}"
        raise _invalid(UNREADABLE.format(shown) + hint) from None
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
        if m := _ON_OR_RE.match(s):
            _refuse_on_or(m, s[m.end() :], day_first)
        if m := _APPROX_RE.match(s):
            approximate = True
        elif m := _BOUND_RE.match(s):
            new = Bound.BEFORE if (m[1] or m[2]).lower() in ("before", "prior to", "<") else Bound.AFTER
            if bound and bound != new:
                raise _invalid("a date cannot be both 'before' and 'after'")
            bound = new
        elif not (m := _PLAIN_RE.match(s) or _ON_RE.match(s)):
            break
        s = s[m.end() :]
    if not s:
        raise _Unreadable
    if (found := _period(s, day_first)) is not None:
        return lawyer.bounded(found, approximate=approximate, bound=bound)
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


def _refuse_on_or(m: re.Match, rest: str, day_first: bool | None) -> None:
    """ "=<06/15/2024" (on or before): refused, naming the "before" date that states the same days when there is
    one (the next day, month or year; a time has none: the next minute is not what the source said)."""
    word = "before" if (m[1] or "").lower() == "before" or m[2] else "after"
    same = None
    try:
        point = _parse_point(rest, day_first)
        if point.precision != Precision.MINUTE:
            same = PartialDate(_next(point, 1 if word == "before" else -1), None, False, Bound(word)).display()
    except (_Unreadable, ValidationError, OverflowError):
        pass
    if same is None:
        raise _invalid(f"'on or {word}' is not a date form; write '{word} …' with the date, or the date itself")
    raise _invalid(f"'on or {word}' is not a date form; write '{same}', which means the same, or "
                   f"'{PartialDate(point).display()}'")  # fmt: skip


def _next(point: DatePoint, step: int) -> DatePoint:
    """The day, month or year `step` after (or before) `point`, to its precision."""
    if point.precision == Precision.DAY:
        day = point.first_day() + dt.timedelta(days=step)
        return DatePoint(Precision.DAY, day.year, day.month, day.day)
    if point.precision == Precision.MONTH:
        index = point.year * 12 + point.month - 1 + step
        return DatePoint(Precision.MONTH, index // 12, index % 12 + 1)
    return DatePoint(Precision.YEAR, point.year + step)


def _period(s: str, day_first: bool | None) -> lawyer.Period | None:
    if m := lawyer.PART_RE.match(s):
        found = lawyer.part_of_month(m["part"], _parse_point(s[m.end() :], day_first))
        if found is None:  # "early 2024": a part of a year is not a form we read
            raise _Unreadable
        return found
    return lawyer.period(s)


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
        point = DatePoint(Precision.MINUTE, year, month, day, hour, minute)  # checks the time before its zone
        tz = zones.read(s[time.end() :], dt.datetime(year, month, day, hour, minute))
        point = DatePoint(Precision.MINUTE, year, month, day, hour, minute, tz)
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
            two, start = m[m.lastindex], m.start(m.lastindex)
            start -= s[start - 1 : start] == "'"  # "Aug '25"
            raise _invalid(f"two-digit year '{two}' is ambiguous; write the full year, e.g. '{s[:start]}20{two}'")
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
