"""The text of Word (.docx) and Excel (.xlsx) evidence, for search.

Both are ZIP archives of XML parts, so the archive is checked before a part is parsed (evidence.importing.zips: its
end record's member count, IMPORT_ZIP_MAX_MEMBERS; each member's expansion, IMPORT_ZIP_MAX_RATIO; and the whole
archive's, EVIDENCE_OFFICE_MAX_UNPACKED_BYTES), and the parts a library reads whole (a document's body, a workbook's
shared strings) may take a quarter of that. A workbook is then streamed (openpyxl's read-only mode, its declared
dimension set aside) and bounded in sheets and cells. Over a bound the file is refused (UnusableInputError, naming
the bound and its setting); a damaged file is returned as unreadable (ValueError) and kept without text.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

from django.conf import settings

from evidence.importing.tables import UnusableInputError
from evidence.importing.zips import open_zip

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = (DOCX, XLSX)

_STREAMED = "xl/worksheets/"  # parts openpyxl reads row by row; every other part it reads whole


def office_text(path: Path, media_type: str, *, name: str, max_chars: int) -> str:
    _check_archive(path, name, streamed=_STREAMED if media_type == XLSX else None)
    if media_type == DOCX:
        return _docx_text(path, max_chars)
    return _xlsx_text(path, name, max_chars)


def _check_archive(path: Path, name: str, *, streamed: str | None) -> None:
    budget = settings.EVIDENCE_OFFICE_MAX_UNPACKED_BYTES
    what = "Word document" if streamed is None else "Excel workbook"
    with path.open("rb") as fp:
        try:
            archive = open_zip(fp, name=name, what=what, max_total=budget,
                               cap_setting="EVIDENCE_OFFICE_MAX_UNPACKED_BYTES")  # fmt: skip
        except UnusableInputError as error:
            if "is not a readable" in str(error):
                raise ValueError(str(error)) from None  # damaged, not hostile: kept without text
            raise
        with archive:
            for info in archive.infolist():
                whole = streamed is None or not info.filename.startswith(streamed)
                if whole and info.file_size > budget // 4:
                    raise UnusableInputError(
                        f"“{name}”: part “{info.filename}” unpacks to {info.file_size:,} bytes; a part read whole may "
                        f"take a quarter of setting EVIDENCE_OFFICE_MAX_UNPACKED_BYTES ({budget // 4:,} bytes)."
                    )


class _Text:
    """Text gathered up to `max_chars` (the rest of the file is not read: search keeps that many characters)."""

    def __init__(self, max_chars: int):
        self.parts: list[str] = []
        self.left = max_chars

    def add(self, text: str) -> bool:
        self.parts.append(text[: self.left])
        self.left -= len(text) + 1
        return self.left > 0

    def __str__(self) -> str:
        return "\n".join(self.parts)


def _docx_text(path: Path, max_chars: int) -> str:
    """The body in order (paragraphs, and tables row by row with their cells tab-separated), then the headers and
    footers once each."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError(f"not a readable Word document ({type(error).__name__})") from None
    text = _Text(max_chars)
    body = _block_lines(document.iter_inner_content(), Table)
    margins: list[str] = []  # a header repeated by every section is read once
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                margins += [line for line in _block_lines(part.iter_inner_content(), Table) if line not in margins]
    for line in (*body, *margins):
        if not text.add(line):
            break
    return str(text)


def _block_lines(blocks, table_type):
    for block in blocks:
        yield from (_table_lines(block) if isinstance(block, table_type) else [block.text])


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is returned once per grid column it spans
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        lines.append("\t".join(cells).rstrip("\t"))
    return lines


def _xlsx_text(path: Path, name: str, max_chars: int) -> str:
    """Each sheet under its name, a row a line with its cells tab-separated (a date as ISO, a formula as the value
    Excel last computed), at most EVIDENCE_SHEET_MAX_SHEETS sheets and EVIDENCE_SHEET_MAX_CELLS cells in all."""
    from openpyxl import load_workbook

    # A file object: given a path, openpyxl insists on an .xlsx name, and intake's copy has none.
    with path.open("rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it drops (validation, extensions)
        try:
            book = load_workbook(fh, read_only=True, data_only=True)
        except (MemoryError, RecursionError):
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
            raise ValueError(f"not a readable Excel workbook ({type(error).__name__})") from None
        try:
            return _book_text(book, name, max_chars)
        finally:
            book.close()


def _book_text(book, name: str, max_chars: int) -> str:
    max_sheets, max_cells = settings.EVIDENCE_SHEET_MAX_SHEETS, settings.EVIDENCE_SHEET_MAX_CELLS
    if len(book.sheetnames) > max_sheets:
        raise UnusableInputError(
            f"“{name}” has {len(book.sheetnames):,} sheets; the limit is {max_sheets:,} (setting "
            "EVIDENCE_SHEET_MAX_SHEETS)."
        )
    text, cells = _Text(max_chars), 0
    for sheet in book.worksheets:
        if not text.add(f"Sheet: {sheet.title}"):
            break
        sheet.reset_dimensions()  # a declared dimension would pad every row to its width
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > max_cells:
                raise UnusableInputError(
                    f"“{name}” has more than {max_cells:,} cells (reached in sheet “{sheet.title}”); the limit is "
                    "setting EVIDENCE_SHEET_MAX_CELLS."
                )
            line = "\t".join(_cell(value) for value in row).rstrip("\t")
            if line and not text.add(line):
                return str(text)
        text.add("")
    return str(text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())
