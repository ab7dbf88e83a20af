"""XLSX to a Table, bounded before and while it is read.

Before: the ZIP (evidence.importing.zips: member count, expansion budget IMPORT_XLSX_MAX_UNPACKED_BYTES, ratio),
the parts openpyxl reads whole (shared strings, styles: a quarter of that budget at most), then each sheet's declared
dimension (<dimension ref="A1:XFD1048576"/>) against IMPORT_MAX_COLUMNS and IMPORT_MAX_ROWS. While: openpyxl in
read-only mode streams the sheet row by row with the declared dimension set aside (it pads every row to it
otherwise), and reading stops at the first row too wide, a cell too long, or a row past the limits.

The one exception to "text only" is what a cell's type tells for sure: a real date cell is a day, and a datetime
cell with a time of day is a minute; they are written out in ISO form ("2025-01-21", "2025-01-21 09:30") so that
evidence.dates reads them to that precision.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from evidence.importing.columns import match_columns
from evidence.importing.tables import Limits, Table, UnusableInputError, build_table, is_blank
from evidence.importing.zips import open_zip

_STREAMED = "xl/worksheets/"  # parts openpyxl reads row by row; every other part it reads whole


def read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    limits = Limits.current()
    _check_archive(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it drops (validation, extensions)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (MemoryError, RecursionError):
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
            raise UnusableInputError(
                f"“{name}” is not a readable XLSX workbook ({error.__class__.__name__})."
            ) from None
        try:
            return _read_book(book, name, sheet, limits)
        finally:
            book.close()


def _check_archive(data: bytes, name: str) -> None:
    budget = settings.IMPORT_XLSX_MAX_UNPACKED_BYTES
    with open_zip(io.BytesIO(data), name=name, what="XLSX workbook", max_total=budget,
                  cap_setting="IMPORT_XLSX_MAX_UNPACKED_BYTES") as archive:  # fmt: skip
        for info in archive.infolist():
            _refuse_document_type(archive, info, name)
            if not info.filename.startswith(_STREAMED) and info.file_size > budget // 4:
                raise UnusableInputError(
                    f"“{name}”: part “{info.filename}” unpacks to {info.file_size:,} bytes; a part read whole may "
                    f"take a quarter of setting IMPORT_XLSX_MAX_UNPACKED_BYTES ({budget // 4:,} bytes)."
                )


_PROLOG_BYTES = 64 * 1024  # a workbook part's prolog (XML declaration, comments) is a few dozen bytes


def _refuse_document_type(archive, info, name: str) -> None:
    """A DTD in any part: its entities can expand without bound (billion laughs), and no workbook needs one. Refused
    here, by one rule, whichever XML parser openpyxl would use (expat or defusedxml refuse it, each its own way)."""
    if info.is_dir():
        return
    with archive.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    if b"<!doctype" in head.lower():
        raise UnusableInputError(
            f"“{name}”: part “{info.filename}” declares a document type (<!DOCTYPE>), which no workbook needs; it is "
            "refused because the entities it may define can expand without bound."
        )


def _read_book(book, name: str, sheet: str | None, limits: Limits) -> Table:
    sheets = [str(s) for s in book.sheetnames]
    if sheet and sheet not in sheets:
        raise UnusableInputError(f"“{name}” has no sheet “{sheet}”; its sheets are: {', '.join(sheets)}.")
    refusals: dict[str, UnusableInputError] = {}  # a sheet refused while its header was looked at: not read twice
    chosen = sheet or next((s for s in sheets if _looks_like_chronology(book[s], name, limits, refusals)), sheets[0])
    if chosen in refusals:
        raise refusals[chosen]
    notices = []
    if not sheet and len(sheets) > 1:
        listed = f"the workbook has {len(sheets)}: {', '.join(sheets)}"
        notices.append(f"Read the sheet “{chosen}” ({listed}); choose another if needed.")
    table = build_table(list(_rows(book[chosen], name, limits)), name, notices, column=_letter)
    table.sheets, table.sheet = sheets, chosen
    return table


def _looks_like_chronology(worksheet, name: str, limits: Limits, refusals: dict) -> bool:
    try:
        header = next(_rows(worksheet, name, limits), (0, []))[1]
    except UnusableInputError as error:  # refused if it is read after all; another sheet may be the chronology
        refusals[worksheet.title] = error
        return False
    found = match_columns([c.strip() for c in header]).by_field
    return "title" in found and ("date" in found or "date_start_iso" in found)


def _rows(worksheet, name: str, limits: Limits):
    """The sheet's non-blank rows (number, cells as text), each checked before the next is read."""
    _check_dimension(worksheet, name, limits)
    worksheet.reset_dimensions()
    data_rows = -1  # the first non-blank row is the header
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > limits.row_numbers:
                raise limits.too_far(name)
            cells = _row_text(values, name, number, limits)
            if cells:
                data_rows += 1
                if data_rows > limits.rows:
                    raise limits.too_many_rows(name)
                yield number, cells
    except (UnusableInputError, MemoryError, RecursionError):
        raise
    except Exception as error:  # damaged XML, an entity bomb refused by the parser, a cell openpyxl cannot read
        raise UnusableInputError(
            f"“{name}”: the sheet “{worksheet.title}” cannot be read ({error.__class__.__name__}: {str(error)[:200]})."
        ) from None


def _row_text(values, name: str, number: int, limits: Limits) -> list[str]:
    """A row as text without its trailing empty cells; [] for a blank row."""
    cells = [_cell_text(v) for v in values]
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    if width > limits.columns:
        raise limits.too_wide(name, f"row {number:,}", f"{width:,} (up to column {_letter(width)})")
    for column, text in enumerate(cells[:width], start=1):
        if len(text) > limits.cell:
            raise limits.too_long(name, f"cell {_letter(column)}{number}", len(text))
    return [] if is_blank(cells[:width]) else cells[:width]


def _letter(column: int) -> str:
    """A column's letters; its number past ZZZ, where openpyxl has no letters (Excel stops at XFD)."""
    return get_column_letter(column) if column <= 18_278 else f"number {column:,}"


def _check_dimension(worksheet, name: str, limits: Limits) -> None:
    columns, rows = worksheet.max_column, worksheet.max_row  # as the sheet declares them; None when it does not
    if (columns or 0) <= limits.columns and (rows or 0) <= limits.row_numbers:
        return
    ref = f"A1:{_letter(columns)}{rows}" if columns and rows else "its dimension"
    raise UnusableInputError(
        f"“{name}”: the sheet “{worksheet.title}” declares {columns or 0:,} columns × {rows or 0:,} rows ({ref}); "
        f"the import limits are {limits.columns:,} columns (setting IMPORT_MAX_COLUMNS) and {limits.rows:,} rows "
        "(setting IMPORT_MAX_ROWS). If the sheet holds less, copy its data into a new workbook."
    )


def _cell_text(value) -> str:
    """A cell as text; a date cell in ISO form to the precision its type proves (see the module's docstring)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
