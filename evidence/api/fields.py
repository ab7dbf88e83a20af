"""A partial date in and out of the API, in the CSV export's words (evidence/exporting/tables.py).

Out: `date` as displayed ("c. Sept 2024"), `date_start` / `date_end` the ISO partial forms ("2024-08",
"2024-08-15T09:30"; "" when undated or not a range), `precision` the start's ("year", "month", "day", "minute"; "" when
undated), `approximate` (true/false), `bound` ("", "before", "after") and `time_zone` (a minute-precision date's zone).

In: either `date` as people type it ("Aug 2024", "c. Sept 2024", "after Aug 2024", "" for undated), read as the event
form reads it, or the exact parts `date_start` (+ `date_end`, `time_zone`, `approximate`, `bound`) as the importer
reads the CSV's machine columns; both are read in the matter's calendar and zone (Matter.read_date). When both are
sent (a record read and sent back whole) they must be the same date.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from evidence import dates

DATE_INPUTS = ("date", "date_start", "date_end", "time_zone", "approximate", "bound")


def date_text(record) -> str:
    """The date of an event or a document (PartialDateFields) as displayed."""
    return record.date.display()


def date_precision(record) -> str:
    return record.get_date_precision_display() if record.date_start else ""


class PartialDateInput(serializers.Serializer):
    """The date fields a write may send; `read(matter)` gives the PartialDate, or None when none was sent."""

    date = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="As known: “Aug 2024”, “c. Sept 2024”, “”."
    )
    date_start = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="ISO partial: 2024, 2024-08, 2024-08-15T09:30."
    )
    date_end = serializers.CharField(required=False, allow_blank=True, max_length=16)
    time_zone = serializers.CharField(required=False, allow_blank=True, max_length=64)
    approximate = serializers.BooleanField(required=False)
    bound = serializers.ChoiceField(choices=["", "before", "after"], required=False, allow_blank=True)


def read_date(data: dict, matter) -> dates.PartialDate | None:
    """The date the validated `data` states, as the matter stores it; None when it states none."""
    exact = None
    if data.get("date_start"):
        try:
            exact = matter.read_date(
                dates.from_columns(
                    start=data["date_start"],
                    end=data.get("date_end", ""),
                    tz=data.get("time_zone", ""),
                    approximate=data.get("approximate", False),
                    bound=data.get("bound", ""),
                )
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"date_start": error.messages}) from None
    elif any(data.get(name) for name in ("date_end", "time_zone", "approximate", "bound")):
        raise serializers.ValidationError(
            {"date_start": ["date_end, time_zone, approximate and bound go with date_start; or send the date as text."]}
        )
    if "date" not in data:
        return exact
    try:
        typed = matter.read_date(data["date"])
    except DjangoValidationError as error:
        raise serializers.ValidationError({"date": error.messages}) from None
    if exact is not None and typed != exact:
        raise serializers.ValidationError(
            {"date": [f"“{data['date']}” is not the date the exact parts state ({exact.display()}); send one of them."]}
        )
    return typed
