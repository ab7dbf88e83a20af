"""A partial date stored as columns: the parts as known, and derived columns for sorting and filtering.

`PartialDateColumns(prefix)` declares one such date on a model: its columns are named after the prefix
(`date_start`, `effective_start`…) and the attribute it is assigned to reads and writes the date as a
evidence.dates.PartialDate, so that a model can hold several dates (a source version's first-seen and effective dates)
by the one rule that events and documents follow.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from evidence import dates
from evidence.models.checks import ChecksInOneQuery

# The parts of a stored date, after its prefix: the date as known, and the columns derived from it.
STORED_PARTS = ("precision", "start", "end_precision", "end", "tz", "approximate", "bound")
DERIVED_PARTS = ("sort", "first_day", "last_day")


class PartialDateColumns:
    """A evidence.dates.PartialDate kept in columns named `<prefix>_<part>`, read and written through the attribute
    this is assigned to in a model's body; the derived columns (`<prefix>_sort`, `_first_day`, `_last_day`) are
    refreshed on every assignment. `sort_index`: index the sort column (the timeline orders by it)."""

    def __init__(self, prefix: str, *, sort_index: bool = False):
        self.prefix = prefix
        self.sort_index = sort_index
        self.stored_columns = tuple(f"{prefix}_{part}" for part in STORED_PARTS)
        self.derived_columns = tuple(f"{prefix}_{part}" for part in DERIVED_PARTS)

    def _fields(self) -> dict[str, models.Field]:
        precisions = [(p.value, p.name.lower()) for p in dates.Precision]
        return {
            "precision": models.PositiveSmallIntegerField(null=True, blank=True, choices=precisions),
            "start": models.CharField(
                max_length=16, blank=True, help_text="ISO form to the known precision, e.g. 2024-08."
            ),
            "end_precision": models.PositiveSmallIntegerField(null=True, blank=True, choices=precisions),
            "end": models.CharField(max_length=16, blank=True),
            "tz": models.CharField(max_length=64, blank=True),
            "approximate": models.BooleanField(default=False),
            "bound": models.CharField(
                max_length=6, blank=True, choices=[(b.value, b.value or "exact") for b in dates.Bound]
            ),
            "sort": models.CharField(
                max_length=40, default=dates.UNDATED_SORT_KEY, editable=False, db_index=self.sort_index
            ),
            "first_day": models.DateField(null=True, blank=True, editable=False),
            "last_day": models.DateField(null=True, blank=True, editable=False),
        }

    def contribute_to_class(self, cls, name):
        for part, field in self._fields().items():
            cls.add_to_class(f"{self.prefix}_{part}", field)
        setattr(cls, name, self)

    def column(self, part: str) -> str:
        return f"{self.prefix}_{part}"

    def constraints(self, model_name: str) -> list[models.BaseConstraint]:
        """The checks that keep the columns one date, named `<model_name>_<prefix>_…`."""
        # "isnull=False" is spelled out because a CHECK whose condition is NULL passes.
        c = self.column
        precisions = [p.value for p in dates.Precision]
        name = f"{model_name}_{self.prefix}"

        def stated(precision: str, value: str) -> Q:
            return Q(**{f"{precision}__isnull": True, value: ""}) | Q(
                **{f"{precision}__isnull": False, f"{precision}__in": precisions}
            ) & ~Q(**{value: ""})

        return [
            models.CheckConstraint(
                condition=stated(c("precision"), c("start")), name=f"{name}_precision_matches_start"
            ),
            models.CheckConstraint(
                condition=stated(c("end_precision"), c("end")), name=f"{name}_end_precision_matches_end"
            ),
            models.CheckConstraint(
                condition=Q(**{c("end"): ""}) | ~Q(**{c("start"): ""}), name=f"{name}_end_needs_start"
            ),
            models.CheckConstraint(
                condition=Q(**{f"{c('bound')}__in": [b.value for b in dates.Bound]})
                & (Q(**{c("bound"): ""}) | Q(**{c("end"): ""})),
                name=f"{name}_bound_valid",
            ),
            models.CheckConstraint(
                condition=Q(**{f"{c('first_day')}__isnull": True})
                | Q(**{f"{c('first_day')}__lte": models.F(c("last_day"))}),
                name=f"{name}_days_ordered",
            ),
        ]

    def timed(self) -> Q:
        """Rows whose date has a time at either end: their derived columns depend on the matter's zone."""
        minute = dates.Precision.MINUTE
        return Q(**{self.column("precision"): minute}) | Q(**{self.column("end_precision"): minute})

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        c = self.column
        return dates.from_columns(
            start=getattr(instance, c("start")),
            end=getattr(instance, c("end")),
            tz=getattr(instance, c("tz")),
            approximate=getattr(instance, c("approximate")),
            bound=getattr(instance, c("bound")),
        )

    def __set__(self, instance, value: dates.PartialDate) -> None:
        """Stores the date and derives its sort key and days (see evidence.dates.columns) in the matter's zone; a
        fiscal year is read in the matter's fiscal calendar. Without a matter yet, times are placed in their own
        zones: the services assign the date again once the matter is known."""
        matter = instance.matter if getattr(instance, "matter_id", None) is not None else None
        if value.fiscal:
            value = dates.fiscal_year(value, matter.fiscal_year_start_month if matter else None)
        start, end = value.start, value.end
        if start and end and start.tz != end.tz and end.tz:
            raise ValidationError("A range must use one time zone at both ends.")
        c = self.column
        setattr(instance, c("precision"), start.precision.value if start else None)
        setattr(instance, c("start"), start.iso() if start else "")
        setattr(instance, c("end_precision"), end.precision.value if end else None)
        setattr(instance, c("end"), end.iso() if end else "")
        setattr(instance, c("tz"), (start.tz if start else "") or (end.tz if end else ""))
        setattr(instance, c("approximate"), value.approximate)
        setattr(instance, c("bound"), value.bound.value)
        derived = dates.derived(value, matter.time_zone if matter else None, prefix=self.prefix)
        for name, column_value in derived.items():
            setattr(instance, name, column_value)


class PartialDateFields(ChecksInOneQuery):
    """The date of an event or a document: a PartialDateColumns named `date`, with the helpers pages and charts use.
    Its checks, and the model's, are validated in one query (ChecksInOneQuery)."""

    date = PartialDateColumns("date", sort_index=True)

    # The columns that hold the date as known, and those derived from it for sorting and filtering.
    STORED_COLUMNS = date.stored_columns
    DERIVED_COLUMNS = date.derived_columns

    class Meta:
        abstract = True

    @classmethod
    def date_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return PartialDateFields.date.constraints(prefix)

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
