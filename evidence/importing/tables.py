"""What every reader shares: the error for a file that cannot be imported, the Table it produces, the limits it reads
under, and the one way rows of text become a Table.

Readers hand over only the non-blank rows, each with the number a spreadsheet shows for it: a file of a million blank
lines then costs no memory, and row numbers stay the ones the user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

from evidence import text


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

    def __post_init__(self):
        self.name = text.clean(self.name)  # the uploaded file's name: kept in the history reason of the import


@dataclass(frozen=True)
class Limits:
    """The bounds a file is read under (settings IMPORT_MAX_*), read once per file."""

    rows: int
    columns: int
    cell: int

    @classmethod
    def current(cls) -> Limits:
        return cls(rows=settings.IMPORT_MAX_ROWS, columns=settings.IMPORT_MAX_COLUMNS,
                   cell=settings.IMPORT_MAX_CELL_CHARS)  # fmt: skip

    @property
    def row_numbers(self) -> int:
        """How far row numbers may go, blank rows included: blank rows cost reading time too."""
        return 2 * self.rows + 10

    def too_many_rows(self, name: str, label: str = "row") -> UnusableInputError:
        return UnusableInputError(
            f"“{name}” has more than {self.rows:,} {label}s; the import limit is {self.rows:,} {label}s "
            "(setting IMPORT_MAX_ROWS). Split the file and import the parts."
        )

    def too_far(self, name: str) -> UnusableInputError:
        return UnusableInputError(
            f"“{name}” goes on past row {self.row_numbers:,} (blank rows included); the import limit is "
            f"{self.rows:,} rows (setting IMPORT_MAX_ROWS). Delete the blank rows or split the file."
        )

    def too_wide(self, name: str, where: str, width: int | str) -> UnusableInputError:
        return UnusableInputError(
            f"“{name}”: {where} has {width if isinstance(width, str) else f'{width:,}'} columns; the import limit is "
            f"{self.columns:,} columns (setting IMPORT_MAX_COLUMNS). Delete the columns that are not needed."
        )

    def too_long(self, name: str, where: str, length: int | None = None) -> UnusableInputError:
        size = f"{length:,} characters" if length is not None else f"more than {self.cell:,} characters"
        return UnusableInputError(
            f"“{name}”: {where} holds {size}; the import limit is {self.cell:,} characters per cell "
            "(setting IMPORT_MAX_CELL_CHARS)."
        )


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def row_numbers(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def is_blank(cells) -> bool:
    return not any(str(c).strip() for c in cells)


def build_table(
    rows: list[tuple[int, list[str]]], name: str, notices: list[str], *, column: Callable[[int], str] | None = None
) -> Table:
    """Non-blank rows (number, cells) to a Table: the first is the header; a cell beyond the last header is refused
    rather than dropped, and so are two columns with the same header. `column` names a column by its number as the
    user sees it (letters in a workbook); None for JSON, whose columns are keys."""
    if not rows:
        raise UnusableInputError(f"“{name}” is empty: no header row and no data.")
    header = [str(h).strip() for h in rows[0][1]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    _refuse_same_headers(header[:width], name, column)
    lost = [number for number, cells in rows[1:] if not is_blank(cells[width:])]
    if lost:
        raise UnusableInputError(
            f"“{name}”: row{'s' if len(lost) > 1 else ''} {row_numbers(lost)} "
            f"{'have' if len(lost) > 1 else 'has'} cells beyond the last column with a header; "
            "give those columns a header (or delete the cells) so nothing is dropped."
        )
    padding = [""] * width
    data = [(cells + padding)[:width] for _, cells in rows[1:]]
    index = pd.Index([number for number, _ in rows[1:]], name="row", dtype="int64")
    frame = pd.DataFrame(data, index=index, columns=range(width), dtype=object)
    frame.columns = _unique([h or f"(column {i + 1})" for i, h in enumerate(header[:width])])
    return Table(frame=frame, name=name, notices=notices)


def _refuse_same_headers(header: list[str], name: str, column: Callable[[int], str] | None) -> None:
    """Two columns headed alike ("Date" and "date", spaces aside) would leave the import to guess which one the file
    means: refused, naming them. Blank headers are no header."""
    groups: dict[str, list[int]] = {}
    for number, heading in enumerate(header, start=1):
        if heading:
            groups.setdefault(" ".join(heading.split()).casefold(), []).append(number)
    clashes = [numbers for numbers in groups.values() if len(numbers) > 1]
    if not clashes:
        return
    said = []
    for numbers in clashes:
        spellings = list(dict.fromkeys(header[n - 1] for n in numbers))
        quoted = _listed([f"“{s}”" for s in spellings])
        written = f" (written {quoted})" if len(spellings) > 1 else ""
        if column is None:  # JSON: a key is unique, so these differ in case or spaces
            said.append(f"the keys {quoted} name the same column" if len(spellings) > 1 else
                        f"{len(numbers)} keys read “{spellings[0]}” (spaces aside)")  # fmt: skip
        else:
            both = "both" if len(numbers) == 2 else "all"
            said.append(f"columns {_listed([column(n) for n in numbers])} are {both} headed “{spellings[0]}”{written}")
    raise UnusableInputError(
        f"“{name}”: {'; '.join(said)}. Rename or delete all but one of them, so that it is clear which one to import."
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
