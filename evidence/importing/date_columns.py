"""A file's dates: the day/month order of each text date column, decided once for the whole column, and each row's
date read from its cells.

A text column ("Date", "End Date") is read month/day (US) unless its own values prove day/month ("21/01/2025") or
the order is chosen for the import; a column proving both is refused, naming the rows. Our export's exact parts
(date_start, date_end, time_zone, approximate, bound) are taken as they are when a row has them, and such a row
takes no part in deciding the text column's order. The parsing itself is evidence.dates'; only the reading of
columns is here.

Spreadsheet forms a text column may hold besides those evidence.dates reads everywhere: two-digit years ("8/15/24",
"8/24"), read as Excel reads them and said in the preview with an example; and CaseMap's sequence number after a
date ("06/15/2024 #2", which orders facts of one date in CaseMap). The number is set aside: events of one date are
listed in the order of the file's rows, and the preview says so, naming the rows whose numbers run backwards.

Approximate: a row's date is approximate when its text says so ("c. Aug 2024", "early Aug 2024") or its
Approximate column says yes; every date of a "Date (approx.)" column is approximate unless the row's Approximate
column says no (columns.py). A row whose Approximate column says no while its text says "c." is refused. An
undated row is never approximate. Beside a "Date" column, a "Date (approx.)" column gives the (approximate) date of
the rows whose "Date" is empty; a row with a date in both is refused.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from evidence import dates
from evidence.dates.parsing import SHORT_YEAR_PIVOT, has_short_year
from evidence.importing.cells import CellError, FieldCells, read_bool
from evidence.importing.reading import row_numbers

if TYPE_CHECKING:
    from evidence.importing.plan import Plan

ReportError = Callable[[int, str, str], None]  # (row, field, reason)
TEXT_FIELDS = ("date", "date_approx", "end_date")
_SEQUENCE = re.compile(r"\s*#\s*(\d{1,6})$")  # CaseMap's "06/15/2024 #2"


class DateColumns:
    def __init__(self, plan: Plan, cells: FieldCells, *, day_first: bool | None, error: ReportError):
        self.plan, self.cells, self.forced, self.error = plan, cells, day_first, error
        self.orders: dict[str, bool | None] = {}
        self._parsed: dict[tuple[str, bool | None], dates.PartialDate | ValidationError] = {}
        # the text date columns without CaseMap's sequence numbers, and those numbers (field -> {data row index: n})
        self.texts: dict[str, list[str]] = {}
        self.sequences: dict[str, dict[int, int]] = {}
        for fld in TEXT_FIELDS:
            if fld in cells.present:
                self.texts[fld], self.sequences[fld] = _without_sequences(cells[fld])

    # -- the order of each column ------------------------------------------------------------------------------

    def decide_orders(self, rows: list[int]) -> None:
        """Each text date column's order, recorded in the plan's `date_orders` with what else the preview should
        say about the column (two-digit years, sequence numbers); rows it refuses get an error."""
        iso = self.cells["date_start_iso"]
        for fld, values in self.texts.items():
            pairs = [(r, v) for r, v, s in zip(rows, values, iso, strict=True) if fld == "end_date" or not s]
            self.orders[fld] = order = self._decide_order(fld, [v for _, v in pairs], [r for r, _ in pairs])
            self._say_short_years(fld, pairs, order)
            self._say_sequences(fld, rows)

    def _say_short_years(self, fld: str, pairs: list[tuple[int, str]], order: bool | None) -> None:
        example = next(((r, v) for r, v in pairs if has_short_year(v)), None)
        if example is None:
            return
        row, text = example
        try:
            read = f" is {self._parse(text, order).display()}"
        except ValidationError:
            read = ""
        last = SHORT_YEAR_PIVOT - 1
        self.plan.date_orders.append(
            f"“{self.plan.columns.header(fld)}”: two-digit years are read as Excel reads them, 00–{last} as "
            f"2000–{2000 + last} and {last + 1}–99 as {1901 + last}–1999 (“{text}”{read}, {self.plan.row_label} {row})."
        )

    def _say_sequences(self, fld: str, rows: list[int]) -> None:
        numbers = self.sequences[fld]
        if not numbers:
            return
        backwards, last = [], {}  # the date's text -> the number of its last row
        for i, n in sorted(numbers.items()):
            text = self.texts[fld][i]
            if n < last.get(text, n):
                backwards.append(rows[i])
            last[text] = n
        said = (
            f"“{self.plan.columns.header(fld)}”: CaseMap's sequence numbers (“#1”, “#2”) are set aside; events of one "
            "date are listed in the order of the file's rows"
        )
        if backwards:
            label = self.plan.row_label + ("s" if len(backwards) > 1 else "")
            said += (f", which differs from the numbers at {label} {row_numbers(backwards)} (sort the file by date "
                     "and sequence number to keep CaseMap's order)")  # fmt: skip
        self.plan.date_orders.append(said + ".")

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
        `bound` are the row's own columns as our export's exact parts use them; a text date is approximate as the
        module's docstring says."""
        if start_iso := self.cells["date_start_iso"][i]:
            return self._exact_date(i, row, start_iso, approximate=approximate, bound=bound)
        fld, text = "date", self.texts.get("date", self.cells["date"])[i]
        approximate_column = self.plan.columns.approximate_date
        if fallback := self.texts.get("date_approx", self.cells["date_approx"])[i]:
            if text:
                both = f"“{self.plan.columns.header('date')}” and “{self.plan.columns.header('date_approx')}”"
                self.error(row, "date_approx", f"the row has a date in both {both}; keep one")
                return None
            fld, text, approximate_column = "date_approx", fallback, True
        try:
            date = self._parse(text, self.orders.get(fld))
        except ValidationError as error:
            self.error(row, fld, "; ".join(error.messages))
            return None
        end_text = self.texts.get("end_date", self.cells["end_date"])[i]
        if end_text and (date := self._with_end(row, date, end_text)) is None:
            return None
        return self._approximate(i, row, date, text, default=approximate_column)

    def _approximate(self, i: int, row: int, date: dates.PartialDate, text: str, *, default: bool):
        """The date approximate as the row and its column say (see the module's docstring), or None after
        reporting that the row says both."""
        if date.undated:
            return date
        cell = self.cells["approximate"][i]
        try:
            said = read_bool(cell) if cell else None
        except CellError:  # reported by the planner with the row's other cells
            said = None
        if said is False and date.approximate:
            self.error(row, "approximate", f"“{text}” is approximate, but “{self.plan.columns.header('approximate')}” "
                                           f"says “{cell}”; change one of them")  # fmt: skip
            return None
        wanted = date.approximate or said is True or (default and said is None)
        return date if wanted == date.approximate else dataclasses.replace(date, approximate=wanted)

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
                found = self.plan.matter.read_date(dates.parse(text, day_first=order, short_years=True))
            except ValidationError as error:
                found = error
            self._parsed[key] = found
        if isinstance(found, ValidationError):
            raise found
        return found


def _without_sequences(values: list[str]) -> tuple[list[str], dict[int, int]]:
    """The cells without CaseMap's sequence numbers, and those numbers by data row index."""
    texts, numbers = list(values), {}
    for i, value in enumerate(values):
        if "#" in value and (m := _SEQUENCE.search(value)):
            texts[i], numbers[i] = value[: m.start()], int(m[1])
    return texts, numbers


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
