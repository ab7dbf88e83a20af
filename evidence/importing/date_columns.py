"""A file's dates: the day/month order of each text date column, decided once for the whole column, and each row's
date read from its cells.

A text column ("Date", "End Date") is read month/day (US) unless its own values prove day/month ("21/01/2025") or
the order is chosen for the import; a column proving both is refused, naming the rows. Our export's exact parts
(date_start, date_end, time_zone, approximate, bound) are taken as they are when a row has them, and such a row
takes no part in deciding the text column's order. The parsing itself is evidence.dates'; only the reading of
columns is here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from evidence import dates
from evidence.importing.cells import FieldCells
from evidence.importing.reading import row_numbers

if TYPE_CHECKING:
    from evidence.importing.plan import Plan

ReportError = Callable[[int, str, str], None]  # (row, field, reason)


class DateColumns:
    def __init__(self, plan: Plan, cells: FieldCells, *, day_first: bool | None, error: ReportError):
        self.plan, self.cells, self.forced, self.error = plan, cells, day_first, error
        self.orders: dict[str, bool | None] = {}
        self._parsed: dict[tuple[str, bool | None], dates.PartialDate | ValidationError] = {}

    # -- the order of each column ------------------------------------------------------------------------------

    def decide_orders(self, rows: list[int]) -> None:
        """Each text date column's order, recorded in the plan's `date_orders`; rows it refuses get an error."""
        cells = self.cells
        text_rows = [(r, v) for r, v, s in zip(rows, cells["date"], cells["date_start_iso"], strict=True) if not s]
        for fld, pairs in (("date", text_rows), ("end_date", list(zip(rows, cells["end_date"], strict=True)))):
            if fld in cells.present:
                self.orders[fld] = self._decide_order(fld, [v for _, v in pairs], [r for r, _ in pairs])

    def _decide_order(self, fld: str, values: list[str], rows: list[int]) -> bool | None:
        """The column's order: forced, or proven by its own values; a column proving both is refused."""
        header = self.plan.columns.header(fld)
        if self.forced is not None:
            order = "day/month" if self.forced else "month/day (US)"
            self.plan.date_orders.append(f"“{header}”: {order}, as chosen for this import.")
            return self.forced
        proofs = _proofs(values)
        pairs = list(zip(rows, values, strict=True))
        day_rows = [r for r, v in pairs if proofs[v] is True]
        us_rows = [r for r, v in pairs if proofs[v] is False]
        for r, v in pairs:
            if isinstance(proofs[v], ValidationError):
                self.error(r, fld, "; ".join(proofs[v].messages))
        if day_rows and us_rows:
            self._refuse_mixed(fld, pairs, proofs, day_rows=day_rows, us_rows=us_rows)
            self.plan.date_orders.append(f"“{header}”: refused, it mixes day/month and month/day dates.")
            return None
        if day_rows:
            example = next(v for v in values if proofs[v] is True)
            self.plan.date_orders.append(
                f"“{header}”: day/month, because the column has “{example}” ({self.plan.row_label} {day_rows[0]})."
            )
            return True
        if any(v and any(ch.isdigit() for ch in v) and "/" in v for v in values):
            self.plan.date_orders.append(f"“{header}”: month/day (US), as no value proves day/month.")
        return False

    def _refuse_mixed(self, fld: str, pairs, proofs, *, day_rows: list[int], us_rows: list[int]) -> None:
        def label(rows):
            return self.plan.row_label + ("s" if len(rows) > 1 else "")

        for r, v in pairs:
            if proofs[v] is True:
                other, order, other_order = us_rows, "day/month", "month/day"
            elif proofs[v] is False:
                other, order, other_order = day_rows, "month/day", "day/month"
            else:
                continue
            self.error(
                r,
                fld,
                f"“{v}” is {order}, but the column also has {other_order} dates ({label(other)} "
                f"{row_numbers(other)}); write the column in one order or choose the order",
            )

    # -- the date of each row ----------------------------------------------------------------------------------

    def row_date(self, i: int, row: int, *, approximate: bool, bound: str) -> dates.PartialDate | None:
        """Row `row`'s date (the `i`th data row), or None after reporting why it cannot be read. `approximate` and
        `bound` are the row's own columns, which only our export's exact parts use (a text date says "c." itself)."""
        if start_iso := self.cells["date_start_iso"][i]:
            return self._exact_date(i, row, start_iso, approximate=approximate, bound=bound)
        try:
            date = self._parse(self.cells["date"][i], self.orders.get("date"))
        except ValidationError as error:
            self.error(row, "date", "; ".join(error.messages))
            return None
        end_text = self.cells["end_date"][i]
        return self._with_end(row, date, end_text) if end_text else date

    def _exact_date(self, i, row, start_iso: str, *, approximate: bool, bound: str) -> dates.PartialDate | None:
        tz = self.cells["time_zone"][i]
        end_iso = self.cells["date_end_iso"][i]
        try:
            start = dates.DatePoint.from_iso(start_iso, tz=tz)
            end = dates.DatePoint.from_iso(end_iso, tz=tz) if end_iso else None
            return self.plan.matter.read_date(dates.PartialDate(start, end, approximate=approximate, bound=bound))
        except ValidationError as error:
            self.error(row, "date_start_iso", "; ".join(error.messages))
            return None

    def _with_end(self, row: int, date: dates.PartialDate, end_text: str) -> dates.PartialDate | None:
        """The range from `date` to the End Date column's date."""
        try:
            end = self._parse(end_text, self.orders.get("end_date"))
        except ValidationError as error:
            self.error(row, "end_date", "; ".join(error.messages))
            return None
        if date.undated:
            self.error(row, "end_date", "an end date needs a start date")
        elif date.end is not None or end.end is not None or end.bound or end.undated:
            self.error(row, "end_date", f"“{end_text}” cannot end “{date.display()}”: give one date as the end")
        else:
            try:
                return dates.PartialDate(date.start, end.start, date.approximate or end.approximate, date.bound)
            except ValidationError as error:
                self.error(row, "end_date", "; ".join(error.messages))
        return None

    def _parse(self, text: str, order: bool | None) -> dates.PartialDate:
        """evidence.dates.parse in the matter's zone, once per distinct text: a column repeats its dates a lot."""
        key = (text, order)
        try:
            found = self._parsed[key]
        except KeyError:
            try:
                found = self.plan.matter.read_date(dates.parse(text, day_first=order))
            except ValidationError as error:
                found = error
            self._parsed[key] = found
        if isinstance(found, ValidationError):
            raise found
        return found


def _proofs(values: list[str]) -> dict[str, bool | None | ValidationError]:
    """What each distinct value proves about the order: True day/month, False month/day, None nothing, or why it
    cannot be read."""
    proofs: dict[str, bool | None | ValidationError] = {}
    for value in set(values):
        try:
            proofs[value] = dates.detect_day_first([value]) if value else None
        except ValidationError as error:
            proofs[value] = error
    return proofs
