"""A PartialDate as the database keeps it (evidence.models.PartialDateFields): the columns that state it, and the
columns derived from it to order and filter events. Kept apart from the models so that a data migration can derive
the columns of rows it reads through historical models."""

from __future__ import annotations

import datetime as dt

from evidence.dates.values import UNDATED, Bound, DatePoint, PartialDate


def from_columns(*, start: str, end: str, tz: str, approximate: bool, bound: str) -> PartialDate:
    if not start:
        return UNDATED
    return PartialDate(
        start=DatePoint.from_iso(start, tz=tz),
        end=DatePoint.from_iso(end, tz=tz) if end else None,
        approximate=approximate,
        bound=Bound(bound),
    )


def derived(value: PartialDate, home: str | None) -> dict[str, str | dt.date | None]:
    """date_sort, and the span of days the date may fall on as date_first_day..date_last_day (dt.date.min and
    dt.date.max for the open side of "before"/"after"; NULL when undated). `home` is the matter's zone: a time
    sorts, and is filtered, by its calendar day there."""
    span = value.span(home)
    return {
        "date_sort": value.sort_key(home),
        "date_first_day": span[0] if span else None,
        "date_last_day": span[1] if span else None,
    }
