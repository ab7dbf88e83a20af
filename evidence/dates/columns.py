"""A PartialDate as the database keeps it (evidence.models.PartialDateColumns): the columns that state it, and the
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


def derived(value: PartialDate, home: str | None, *, prefix: str = "date") -> dict[str, str | dt.date | None]:
    """<prefix>_sort, and the span of days the date may fall on as <prefix>_first_day..<prefix>_last_day
    (dt.date.min and dt.date.max for the open side of "before"/"after"; NULL when undated). `home` is the matter's
    zone: a time sorts, and is filtered, by its calendar day there. `prefix` names the columns (evidence.models
    PartialDateColumns): "date" for an event's or a document's date."""
    span = value.span(home)
    return {
        f"{prefix}_sort": value.sort_key(home),
        f"{prefix}_first_day": span[0] if span else None,
        f"{prefix}_last_day": span[1] if span else None,
    }
