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

from evidence.dates.parsing import detect_day_first, parse, parse_point
from evidence.dates.values import (
    SORT_KEY_LENGTH,
    UNDATED,
    UNDATED_SORT_KEY,
    ZONE_ABBREVIATIONS,
    Bound,
    DatePoint,
    PartialDate,
    Precision,
)

__all__ = [
    "Bound", "DatePoint", "PartialDate", "Precision", "SORT_KEY_LENGTH", "UNDATED", "UNDATED_SORT_KEY",
    "ZONE_ABBREVIATIONS", "detect_day_first", "parse", "parse_point",
]  # fmt: skip
