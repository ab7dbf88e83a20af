"""CSV (and tab- or semicolon-separated text) to a Table, bounded while it is read.

The csv module reads one record at a time from lines handed to it here, so every bound holds before the memory is
spent: a cell over IMPORT_MAX_CELL_CHARS stops the reader (csv.field_size_limit), a line with more separators than
IMPORT_MAX_COLUMNS allows is refused before it is split, a record longer than ten maximal cells is refused while its
lines are being handed over, and reading stops at the first row past IMPORT_MAX_ROWS. A record is a spreadsheet row:
a quoted cell with line breaks is one row, and blank lines keep their numbers.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterator

from evidence.importing.tables import Limits, Table, UnusableInputError, build_table, is_blank

_FIELD_LIMIT_LOCK = threading.Lock()  # csv.field_size_limit is process-wide
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTENT = re.compile(r"[^ ,;\t\r\n]")


def decode(data: bytes, name: str, notices: list[str]) -> str:
    """UTF-8 (a BOM is dropped); UTF-16 with a BOM (Excel's "Unicode text"); else Windows-1252, as Excel on Windows
    writes "CSV", with a notice. A NUL character is refused: no text file holds one."""
    if data[:2] in _UTF16_BOMS:
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnusableInputError(f"“{name}” starts as UTF-16 text but is not valid UTF-16.") from None
    else:
        text = _utf8_or_windows(data, name, notices)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise UnusableInputError(
            f"“{name}” contains a NUL character (line {line:,}): it is not a text file, or it is UTF-16 without a "
            "byte-order mark. Save it as CSV UTF-8."
        )
    return text


def _utf8_or_windows(data: bytes, name: str, notices: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnusableInputError(
            f"“{name}” is neither UTF-8 nor Windows-1252 text (line {line:,}); save it as UTF-8 CSV."
        ) from None
    notices.append(
        f"“{name}” is not UTF-8 (first at line {line}); it was read as Windows-1252. "
        "Check accented letters and quotes in the preview."
    )
    return text


def read_csv(data: bytes, name: str) -> Table:
    notices: list[str] = []
    text = decode(data, name, notices).replace("\r\n", "\n")  # CRLF inside quoted cells too
    if "\n" not in text:  # "CSV (Macintosh)" ends its lines with CR alone
        text = text.replace("\r", "\n")
    delimiter = _delimiter(text)
    if delimiter != ",":
        notices.append(f"Columns are separated by {'tabs' if delimiter == chr(9) else 'semicolons'}.")
    return build_table(_rows(text, name, delimiter, Limits.current()), name, notices, column=str)


def _delimiter(text: str) -> str:
    """The separator the first non-blank line uses most; found without splitting the whole text into lines."""
    found = _CONTENT.search(text)
    if found is None:
        return ","
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.start())
    line = text[start : end if end >= 0 else len(text)]
    return max([",", ";", "\t"], key=line.count)


def _rows(text: str, name: str, delimiter: str, limits: Limits) -> list[tuple[int, list[str]]]:
    """The non-blank records with their row numbers, every bound checked as the records come."""
    feed = _Feed(text, name, delimiter, limits)
    rows: list[tuple[int, list[str]]] = []
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(limits.cell)
        try:
            reader = csv.reader(feed, delimiter=delimiter, strict=False)
            for number, record in enumerate(reader, start=1):
                feed.record_done()
                if len(record) > limits.columns:
                    raise limits.too_wide(name, f"row {number:,}", len(record))
                if number > limits.row_numbers:
                    raise limits.too_far(name)
                if not is_blank(record):
                    rows.append((number, record))
                    if len(rows) > limits.rows + 1:  # the header and IMPORT_MAX_ROWS data rows
                        raise limits.too_many_rows(name)
        except csv.Error as error:
            where = f"row {feed.row:,}"
            if "field limit" in str(error):
                raise limits.too_long(name, f"a cell of {where}") from None
            raise UnusableInputError(f"“{name}” is not a readable CSV file ({where}: {error}).") from None
        finally:
            csv.field_size_limit(previous)
    return rows


class _Feed:
    """The text's lines, handed to csv.reader one by one. It asks for the next line only while the record in hand is
    unfinished, so the characters handed over since the last record bound that record's size."""

    def __init__(self, text: str, name: str, delimiter: str, limits: Limits):
        self.lines: Iterator[str] = _lines(text)
        self.name, self.delimiter, self.limits = name, delimiter, limits
        self.max_chars = 10 * limits.cell
        self.chars = 0  # handed over for the record in hand
        self.row = 1

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        if not self.chars and '"' not in line:  # a record of its own: every separator splits
            width = line.count(self.delimiter) + 1
            if width > self.limits.columns:
                raise self.limits.too_wide(self.name, f"row {self.row:,}", width)
        self.chars += len(line)
        if self.chars > self.max_chars:
            raise UnusableInputError(
                f"“{self.name}”: row {self.row:,} is longer than {self.max_chars:,} characters (ten cells at the "
                "limit of setting IMPORT_MAX_CELL_CHARS); check its quotes, or split its text."
            )
        return line

    def record_done(self) -> None:
        self.chars = 0
        self.row += 1


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time (a StringIO would hold a second, four-byte copy)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start) + 1 or size
        yield text[start:end]
        start = end
