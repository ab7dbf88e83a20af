"""Files as they come, to a table of text: CSV (UTF-8 with or without BOM, else Windows-1252), XLSX, JSON.

Every cell becomes a string, so nothing downstream guesses a type. The one exception to "text only" is what an XLSX
cell's type tells for sure: a real date cell is a day, and a datetime cell with a time of day is a minute; they are
written out here in ISO form ("2025-01-21", "2025-01-21 09:30") so that evidence.dates reads them to that precision.

Row numbers are the ones the spreadsheet user sees: the header is row 1 (or wherever the first non-blank row is) and
blank rows keep their number although they are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings

from evidence.importing.columns import match_columns


class UnusableInputError(Exception):
    """The file cannot be imported at all (unreadable, too large, no date or title column): nothing to preview."""


@dataclass
class Table:
    """The cells of a file as text: `frame` has the file's own headers as columns and the row numbers as index."""

    frame: pd.DataFrame
    name: str
    row_label: str = "row"  # "record" for JSON, where there are no spreadsheet rows
    notices: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheet names of a workbook
    sheet: str = ""


def read_table(source, *, name: str, sheet: str | None = None) -> Table:
    """Read a CSV, XLSX or JSON file (a path, bytes or a binary file object); the format is chosen by the name."""
    data = source_bytes(source)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise UnusableInputError(
            f"“{name}” is {_mb(len(data))}; the import limit is {_mb(settings.IMPORT_MAX_BYTES)} "
            "(setting IMPORT_MAX_BYTES). Split the file and import the parts."
        )
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(data, name, sheet)
    elif suffix == ".json":
        table = _read_json(data, name)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        table = read_csv(data, name)
    else:
        raise UnusableInputError(f"“{name}” is not a CSV, XLSX or JSON file.")
    rows = len(table.frame)
    if rows > settings.IMPORT_MAX_ROWS:
        raise UnusableInputError(
            f"“{name}” has {rows:,} rows; the import limit is {settings.IMPORT_MAX_ROWS:,} rows "
            "(setting IMPORT_MAX_ROWS). Split the file and import the parts."
        )
    return table


def source_bytes(source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise UnusableInputError(f"Cannot read {source}: {error.strerror or error}.") from None
    if hasattr(source, "chunks"):
        return b"".join(source.chunks())
    return source.read()


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def decode(data: bytes, name: str, notices: list[str]) -> str:
    """UTF-8 (a BOM is dropped); else Windows-1252, as Excel on Windows writes "CSV", with a notice."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnusableInputError(
            f"“{name}” is neither UTF-8 nor Windows-1252 text (line {line}); save it as UTF-8 CSV."
        ) from None
    notices.append(
        f"“{name}” is not UTF-8 (first at line {line}); it was read as Windows-1252. "
        "Check accented letters and quotes in the preview."
    )
    return text


def read_csv(data: bytes, name: str) -> Table:
    notices: list[str] = []
    text = decode(data, name, notices).replace("\r\n", "\n")  # CRLF inside quoted cells too
    first_line = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = max([",", ";", "\t"], key=first_line.count) if first_line else ","
    if delimiter != ",":
        notices.append(f"Columns are separated by {'tabs' if delimiter == chr(9) else 'semicolons'}.")
    try:
        # pandas' C parser when the file is regular: it counts a quoted multi-line cell as one row and keeps blank
        # rows (skip_blank_lines=False), so row numbers are the ones a spreadsheet shows.
        raw = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                          na_filter=False, skip_blank_lines=False, engine="c")  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        raw = None  # ragged rows (more cells than the first row): the csv module keeps them, to be reported
    if raw is not None:
        return _frame_table(raw, name, notices)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as error:
        raise UnusableInputError(f"“{name}” is not a readable CSV file: {error}.") from None
    return _table(records, name, notices)


def _table(records: list[list[str]], name: str, notices: list[str], first_row: int = 1) -> Table:
    width = max((len(r) for r in records), default=0)
    raw = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype=object)
    return _frame_table(raw, name, notices, first_row)


def _frame_table(raw: pd.DataFrame, name: str, notices: list[str], first_row: int = 1) -> Table:
    """Cells of text to a Table: the first non-blank row is the header; blank rows are dropped, keeping numbers."""
    raw = raw.fillna("").astype(object)
    raw.index = pd.RangeIndex(first_row, first_row + len(raw), name="row")
    filled = raw.apply(lambda column: column.astype(str).str.strip() != "")
    nonblank = filled.any(axis=1) if len(raw.columns) else pd.Series(False, index=raw.index)
    if not nonblank.any():
        raise UnusableInputError(f"“{name}” is empty: no header row and no data.")
    header_at = int(nonblank.idxmax())
    header = [str(h).strip() for h in raw.loc[header_at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    keep = nonblank & (raw.index > header_at)
    lost = [int(n) for n in raw.index[keep & filled.iloc[:, width:].any(axis=1)]] if width < len(header) else []
    if lost:
        raise UnusableInputError(
            f"“{name}”: row{'s' if len(lost) > 1 else ''} {row_numbers(lost)} "
            f"{'have' if len(lost) > 1 else 'has'} cells beyond the last column with a header; "
            "give those columns a header (or delete the cells) so nothing is dropped."
        )
    frame = raw.loc[keep].iloc[:, :width]
    frame.columns = _unique([h or f"(column {i + 1})" for i, h in enumerate(header[:width])])
    return Table(frame=frame, name=name, notices=notices)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def row_numbers(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnusableInputError(f"“{name}” is not a readable XLSX workbook ({error.__class__.__name__}).") from None
    sheets = [str(s) for s in book.sheet_names]
    if sheet and sheet not in sheets:
        raise UnusableInputError(f"“{name}” has no sheet “{sheet}”; its sheets are: {', '.join(sheets)}.")
    chosen, records = sheets[0], None
    for candidate in [sheet] if sheet else sheets:  # without a choice: the first sheet with a date and a title column
        candidate_records = _sheet_records(book, candidate)
        if sheet or _looks_like_chronology(candidate_records):
            chosen, records = candidate, candidate_records
            break
    if records is None:
        records = _sheet_records(book, chosen)
    notices = []
    if not sheet and len(sheets) > 1:
        listed = f"the workbook has {len(sheets)}: {', '.join(sheets)}"
        notices.append(f"Read the sheet “{chosen}” ({listed}); choose another if needed.")
    table = _table(records, name, notices)
    table.sheets, table.sheet = sheets, chosen
    return table


def _sheet_records(book: pd.ExcelFile, sheet: str) -> list[list[str]]:
    raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    return [[_cell_text(v) for v in row] for row in raw.itertuples(index=False, name=None)]


def _looks_like_chronology(records: list[list[str]]) -> bool:
    header = next((r for r in records if any(c.strip() for c in r)), [])
    found = match_columns([c.strip() for c in header]).by_field
    return "title" in found and ("date" in found or "date_start_iso" in found)


def _cell_text(value) -> str:
    """A cell as text; a date cell in ISO form to the precision its type proves (see the module's docstring)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
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


def _read_json(data: bytes, name: str) -> Table:
    notices: list[str] = []
    try:
        payload = json.loads(decode(data, name, notices))
    except json.JSONDecodeError as error:
        raise UnusableInputError(f"“{name}” is not valid JSON: {error.msg} (line {error.lineno}).") from None
    if isinstance(payload, dict):
        payload = next((v for k, v in payload.items() if k.lower() in ("events", "facts", "rows", "data")), None)
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise UnusableInputError(f'“{name}”: expected a list of objects (or {{"events": [...]}}), one per event.')
    header: list[str] = []
    for record in payload:
        header.extend(k for k in record if k not in header)
    records = [header] + [[_json_text(r.get(k)) for k in header] for r in payload]
    table = _table(records, name, notices, first_row=0)
    table.row_label = "record"
    return table


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
