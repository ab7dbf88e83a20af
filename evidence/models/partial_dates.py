"""A partial date stored as columns: the parts as known, and derived columns for sorting and filtering."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from evidence import dates


class PartialDateFields(models.Model):
    """A evidence.dates.PartialDate stored as columns: exact parts, plus derived columns for sorting and filtering.

    Read and write it through the `date` property; the derived columns are refreshed on every assignment.
    """

    # The columns that hold the date as known, and those derived from it for sorting and filtering.
    STORED_COLUMNS = (
        "date_precision", "date_start", "date_end_precision", "date_end", "date_tz", "date_approximate", "date_bound",
    )  # fmt: skip
    DERIVED_COLUMNS = ("date_sort", "date_first_day", "date_last_day")

    date_precision = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(p.value, p.name.lower()) for p in dates.Precision]
    )
    date_start = models.CharField(max_length=16, blank=True, help_text="ISO form to the known precision, e.g. 2024-08.")
    date_end_precision = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(p.value, p.name.lower()) for p in dates.Precision]
    )
    date_end = models.CharField(max_length=16, blank=True)
    date_tz = models.CharField(max_length=64, blank=True)
    date_approximate = models.BooleanField(default=False)
    date_bound = models.CharField(
        max_length=6, blank=True, choices=[(b.value, b.value or "exact") for b in dates.Bound]
    )
    date_sort = models.CharField(max_length=40, default=dates.UNDATED_SORT_KEY, editable=False, db_index=True)
    date_first_day = models.DateField(null=True, blank=True, editable=False)
    date_last_day = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def date_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        # "isnull=False" is spelled out because a CHECK whose condition is NULL passes.
        precisions = [p.value for p in dates.Precision]
        return [
            models.CheckConstraint(
                condition=(
                    Q(date_precision__isnull=True, date_start="")
                    | Q(date_precision__isnull=False, date_precision__in=precisions) & ~Q(date_start="")
                ),
                name=f"{prefix}_date_precision_matches_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_end_precision__isnull=True, date_end="")
                    | Q(date_end_precision__isnull=False, date_end_precision__in=precisions) & ~Q(date_end="")
                ),
                name=f"{prefix}_date_end_precision_matches_end",
            ),
            models.CheckConstraint(condition=Q(date_end="") | ~Q(date_start=""), name=f"{prefix}_date_end_needs_start"),
            models.CheckConstraint(
                condition=Q(date_bound__in=[b.value for b in dates.Bound]) & (Q(date_bound="") | Q(date_end="")),
                name=f"{prefix}_date_bound_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_first_day__isnull=True) | Q(date_first_day__lte=models.F("date_last_day")),
                name=f"{prefix}_date_days_ordered",
            ),
        ]

    @property
    def date(self) -> dates.PartialDate:
        return dates.from_columns(
            start=self.date_start,
            end=self.date_end,
            tz=self.date_tz,
            approximate=self.date_approximate,
            bound=self.date_bound,
        )

    @date.setter
    def date(self, value: dates.PartialDate) -> None:
        """Stores the date and derives date_sort, date_first_day and date_last_day (see evidence.dates.columns) in
        the matter's zone; a fiscal year is read in the matter's fiscal calendar. Without a matter yet, times are
        placed in their own zones: the services assign the date again once the matter is known."""
        # getattr: the importer runs this setter on a bare namespace to learn the stored columns of a date.
        matter = self.matter if getattr(self, "matter_id", None) is not None else None
        if value.fiscal:
            value = dates.fiscal_year(value, matter.fiscal_year_start_month if matter else None)
        start, end = value.start, value.end
        if start and end and start.tz != end.tz and end.tz:
            raise ValidationError("A range must use one time zone at both ends.")
        self.date_precision = start.precision.value if start else None
        self.date_start = start.iso() if start else ""
        self.date_end_precision = end.precision.value if end else None
        self.date_end = end.iso() if end else ""
        self.date_tz = (start.tz if start else "") or (end.tz if end else "")
        self.date_approximate = value.approximate
        self.date_bound = value.bound.value
        for name, derived in dates.derived(value, matter.time_zone if matter else None).items():
            setattr(self, name, derived)

    @property
    def date_display(self) -> str:
        return self.date.display()

    @property
    def date_drawn_days(self) -> tuple[datetime.date, datetime.date] | None:
        """The days a chart draws the date across: its span, with the open side of "before"/"after" cut at the
        bound, so that "after Aug 2024" is drawn on Sept 1, 2024 and not to the end of time."""
        first, last = self.date_first_day, self.date_last_day
        if first is None:
            return None
        return (last if first == datetime.date.min else first), (first if last == datetime.date.max else last)
