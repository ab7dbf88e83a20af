"""Partial dates: the one place that parses, orders and displays the date of an event or a document.

A date is stated as it is known and never made more precise: "Aug 2024" is a month, not 2024-08-01. A
`PartialDate` is a start `DatePoint` (year, month, day or minute precision), an optional range end with its own
precision, an *approximate* ("c.") flag and an optional bound ("before" / "after"); `UNDATED` has no start.

Minute is the finest precision: seconds in the input are dropped (truncated, not rounded), because nothing in a
chronology is stated to the second and a second-precision value would display a time the source did not give.

Time zones (`DatePoint.tz`, minute precision only; evidence.dates.zones): "" when the source states none, "UTC", a
fixed offset stored as "+05:30", or an IANA name. Typed zones are read as:

* abbreviations (`zones.ABBREVIATIONS`: PST PDT MST MDT CST CDT EST EDT AKST AKDT HST GMT UTC Z BST WET WEST CET
  CEST EET EEST MSK SAST HKT JST KST AEST AEDT NZST NZDT) -> the wall clock of their zone (PST -> Los Angeles);
  a standard-time name in summer ("PST" in July) is read as that zone's clock, as people write it; a daylight one
  on a date its zone is on standard time ("PDT" in January) is refused, saying what the clock was; a standard name
  in the repeated hour of a fall-back night is kept as its offset, so the instant stays the one written;
* zone names (ET, PT, CT, MT, Eastern, Pacific, Central, Mountain, "Pacific Time (US & Canada)"…) -> that zone;
* "UTC+5:30", "-0800" -> an offset; IANA names in any case -> the name;
* ambiguous names (IST, AST) and anything else are refused with what to write instead.

Display (`PartialDate.display()`, the one place every page, export and chart writes a date): months as
`MONTH_ABBR` ("Sept"), times as "Aug 15, 2024, 9:30 AM PDT": the zone's abbreviation at that time when typing it
back reads the same instant, else its UTC offset ("UTC+05:30"); every name of UTC is written "UTC". So one instant is
written one way whether its time was typed, imported or read from an e-mail header. `display_instant` writes a
datetime (an export's "as of") the same way.

Dates as pleadings write them (evidence.dates.lawyer): "on or about Sept 18, 2024" (a day, c.), "early/mid/late Aug
2024" (c. Aug 1-10 / 11-20 / 21-end, shown back as "early Aug 2024"), "Q3 2024" (July - Sept 2024), "summer 2024"
(c. June - Aug; spring, fall, "winter 2024/25"), "FY2024" (kept as `fiscal` until `fiscal_year` reads it in the
matter's fiscal calendar; refused while the matter has none). Other texts that look like these are refused with the
list of forms understood.

Day/month order: `day_first=None` reads month/day (US) unless the first number is > 12 and the second <= 12;
True/False force the order. `detect_day_first` decides a spreadsheet column's order from its values.

Ordering contract (`PartialDate.sort_key(home)`, stored in an indexed column and compared as a plain string; `home`
is the matter's zone):

* The key is `SORT_KEY_LENGTH` (32) characters of digits only, so byte-wise (C, SQLite) and linguistic (en_US, ICU)
  collations order it the same way. It is the start point's key (16) followed by the end point's key (16).
* A point's key is its year, then per finer level a marker and the value: within the block a period covers, the
  period itself (a date known only to that precision) comes first, then its finer dates in order. So
  2024 < Aug 2024 < Aug 15, 2024 < Aug 15, 2024 9:30 AM < Aug 16, 2024 < Sept 2024.
* "before X" sorts at the very start of X's block (before X itself, after everything earlier than X);
  "after X" at the very end of X's block (after everything inside X, before X's next sibling).
  So July 2024 < before Aug 2024 < Aug 2024 < Aug 15, 2024 < after Aug 2024 < Sept 2024.
* A time belongs to its calendar day in `home`, and within that day sorts by its instant (the minutes elapsed since
  the day began there): in New York, "Aug 15, 2024, 9:00 PM EDT" < "Aug 15, 2024, 6:30 PM PDT" (9:30 PM EDT), and
  "Aug 15, 2024, 11:30 PM PDT" is among Aug 16's times. It is still displayed as its source states it. A time
  without a zone is on `home`'s clock; without `home`, each time is placed in its own zone.
* Approximate ("c.") does not change the position.
* A range sorts by its start, then by its end, earlier end first (so a single date sorts before ranges starting
  at the same point, and shorter ranges before longer ones). A single date's end key is its start's exact key.
* Undated sorts last (`UNDATED_SORT_KEY`, all "Z").
* Equal keys are left to the caller (an event's manual order).

Days: `first_day(home)` / `last_day(home)` are the calendar days the stated date covers (a time's day in `home`);
`span(home)` is the days it may fall on, for filtering: the stated days, except that "before X" runs from
`datetime.date.min` to the day before X and "after X" from the day after X to `datetime.date.max`. "c." widens
nothing: no margin is invented. The models store the key and the span (evidence.dates.columns).
"""

from evidence.dates.columns import derived, from_columns
from evidence.dates.lawyer import fiscal_year
from evidence.dates.parsing import detect_day_first, parse, parse_point
from evidence.dates.values import (
    MONTH_ABBR,
    MONTH_NAMES,
    SORT_KEY_LENGTH,
    UNDATED,
    UNDATED_SORT_KEY,
    Bound,
    DatePoint,
    PartialDate,
    Precision,
    display_day,
    display_instant,
)
from evidence.dates.zones import ZONE_ABBREVIATIONS

__all__ = [
    "MONTH_ABBR", "MONTH_NAMES", "Bound", "DatePoint", "PartialDate", "Precision", "SORT_KEY_LENGTH", "UNDATED",
    "UNDATED_SORT_KEY", "ZONE_ABBREVIATIONS", "derived", "detect_day_first", "display_day", "display_instant",
    "fiscal_year", "from_columns", "parse", "parse_point",
]  # fmt: skip
