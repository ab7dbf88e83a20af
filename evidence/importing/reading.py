"""Files as they come, to a table of text: CSV (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252), XLSX,
JSON. Every cell becomes a string, so nothing downstream guesses a type (XLSX date cells aside: xlsx_reader.py).

Every file is bounded before and while it is read (csv_reader.py, xlsx_reader.py, json_reader.py, zips.py; the
limits are the IMPORT_MAX_* settings): its size is checked before a byte is read, and a refusal names the file, the
row or member, the limit and its setting. isolation.py runs a reader in a child process with memory and time limits,
for the web pages.

Row numbers are the ones the spreadsheet user sees: the header is row 1 (or wherever the first non-blank row is) and
blank rows keep their number although they are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from evidence.importing.csv_reader import decode, read_csv
from evidence.importing.json_reader import read_json
from evidence.importing.tables import Table, UnusableInputError, mb, row_numbers
from evidence.importing.xlsx_reader import read_xlsx

__all__ = ["Table", "UnusableInputError", "decode", "read_csv", "read_table", "row_numbers", "source_bytes"]


def read_table(source, *, name: str, sheet: str | None = None) -> Table:
    """Read a CSV, XLSX or JSON file (a path, bytes or a binary file object); the format is chosen by the name, or
    by the content for a workbook."""
    data = source_bytes(source, name=name, limit=settings.IMPORT_MAX_BYTES, setting="IMPORT_MAX_BYTES")
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        table = read_xlsx(data, name, sheet)
    elif suffix == ".json":
        table = read_json(data, name)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        table = read_csv(data, name)
    else:
        raise UnusableInputError(f"“{name}” is not a CSV, XLSX or JSON file.")
    rows = len(table.frame)
    if rows > settings.IMPORT_MAX_ROWS:  # each reader stops sooner; this is the contract whatever the reader
        raise UnusableInputError(
            f"“{name}” has {rows:,} rows; the import limit is {settings.IMPORT_MAX_ROWS:,} rows "
            "(setting IMPORT_MAX_ROWS). Split the file and import the parts."
        )
    return table


def source_bytes(source, *, name: str = "", limit: int | None = None, setting: str = "") -> bytes:
    """The bytes of a path, bytes or a (Django) file object; the size is checked first when a limit is given."""
    if isinstance(source, (str, os.PathLike)):
        try:
            size = Path(source).stat().st_size
            _check_size(size, name or str(source), limit, setting)
            return Path(source).read_bytes()
        except OSError as error:
            raise UnusableInputError(f"Cannot read {source}: {error.strerror or error}.") from None
    size = len(source) if isinstance(source, bytes) else getattr(source, "size", None)
    if size is not None:
        _check_size(size, name, limit, setting)
    if isinstance(source, bytes):
        return source
    if hasattr(source, "chunks"):
        data = b"".join(source.chunks())
    else:
        data = source.read(limit + 1) if limit is not None else source.read()
    _check_size(len(data), name, limit, setting, more=" more than")
    return data


def _check_size(size: int, name: str, limit: int | None, setting: str, more: str = "") -> None:
    if limit is not None and size > limit:
        raise UnusableInputError(
            f"“{name}” is{more} {mb(size if not more else limit)}; the import limit is {mb(limit)} "
            f"(setting {setting}). Split the file and import the parts."
        )
