"""The chronology as a table (CSV and XLSX, through pandas): one row per event, machine-readable beside human-readable.

Columns, in this order (the bulk importer reads exactly these, so an export imports back without loss):

    no, date, date_start, date_end, precision, approximate, bound, time_zone, kind, status, key, privileged,
    title, description, actors, issues, citations, source_note, external_id

* `date` is the date as displayed ("c. Sept 2024"); `date_start` / `date_end` the ISO partial forms ("2024-08",
  "2024-08-15T09:30", "" when undated or not a range); `precision` the start's precision ("year", "month", "day",
  "minute", "" when undated); `approximate`, `key`, `privileged` are "yes" / "no"; `bound` is "", "before" or "after";
  `time_zone` is the stored zone of a minute-precision date ("America/Los_Angeles", "UTC", "-08:00" or "").
* `kind` and `status` are the stored values ("policy_edit", "disputed").
* `actors` and `issues` are names joined with "; "; `citations` are "<exhibit label> <pinpoint>" joined with "; "
  ("PX-3 p. 2; PX-7"), a citation's note after its label in brackets ("PX-3 p. 2 [note: quoted in the complaint]";
  in the note "]" is written "\\]" and a backslash "\\\\", so the importer reads it back as it was).

`history_chain` is the matter's history chain head the export was built from ("#42 3f2a9c01d4e5b6a7": the last
link's sequence and the first 16 hex digits of its hash, see evidence.services.chain; "empty" when nothing of the
matter is chained yet, as the PDF's cover says), the same on every row; the importer ignores it. The XLSX also
names it in the workbook's keywords ("history chain #42 3f2a9c01d4e5b6a7"), so that an export without rows states
it too. A CSV without rows has only its header: a row holding nothing but the head would be read back by the
importer as an event without a title, so the head of such an export is on record in the access log entry of the
export (services.access.access_export_produced) rather than in the file.

Formula injection: a text cell that begins with = + - @, a tab or a carriage return gets a leading apostrophe
("'=SUM(A1)"), so a spreadsheet shows it as text and the value stays readable. This applies to every column EXCEPT
the machine columns `date_start`, `date_end` and `time_zone`, which are written as they are stored: they can only
hold ISO dates and zone names or offsets, and an offset such as "-08:00" is data the importer must read back
unchanged. An importer reading these files strips one leading apostrophe from the neutralised columns when the rest
of the value begins with one of the characters above.

Names and titles (`title`, `actors`, `issues`, the labels in `citations`) are written as the PDF and the Word
document show them: a bidi control is written out, "invoice[U+202E]exe.pdf", so that no spreadsheet reorders what
its reader sees (the importer reads "[U+202E]" back as the character). Every other text is written cleaned by the
app's text rule (evidence.text), so a row stored before that rule still exports: openpyxl refuses control characters.

`FORMULA_STARTS` and `neutralise` are the one definition of that rule (pandas is loaded only by the writers, so
the importer can use them cheaply); `SEPARATOR` is the one joining the names in `actors`, `issues` and `citations`.

CSV is UTF-8 without a byte-order mark, comma-separated, CRLF-terminated (RFC 4180), with a header row. XLSX has one
sheet, "Chronology".
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from evidence.exporting import Chronology, Row
from evidence.text import clean

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "no", "date", "date_start", "date_end", "precision", "approximate", "bound", "time_zone", "kind", "status", "key",
    "privileged", "title", "description", "actors", "issues", "citations", "source_note", "external_id",
    "history_chain",
)  # fmt: skip
MACHINE_COLUMNS = frozenset({"date_start", "date_end", "time_zone"})
NEUTRALISED_COLUMNS = tuple(c for c in COLUMNS if c not in MACHINE_COLUMNS and c not in ("no", "history_chain"))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "; "


def neutralise(value: str) -> str:
    """'=1+1' -> "'=1+1": a spreadsheet shows it as text, not as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def citation_text(label: str, note: str) -> str:
    """'PX-3 p. 2' or 'PX-3 p. 2 [note: quoted in the complaint]' (importing.cells.SourceReader reads it back)."""
    if not note:
        return label
    escaped = note.replace("\\", "\\\\").replace("]", "\\]")
    return f"{label} [note: {escaped}]"


def row_values(row: Row) -> dict:
    event = row.event
    values = {
        "no": row.no,
        "date": row.date,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "precision": event.get_date_precision_display() if event.date_start else "",
        "approximate": _yes(event.date_approximate),
        "bound": event.date_bound,
        "time_zone": event.date_tz,
        "kind": event.kind,
        "status": event.status,
        "key": _yes(event.is_key),
        "privileged": _yes(event.is_privileged),
        "title": row.title,
        "description": row.description,
        "actors": SEPARATOR.join(row.actor_names),
        "issues": SEPARATOR.join(row.issue_names),
        "citations": SEPARATOR.join(citation_text(s.label, s.note) for s in row.sources),
        "source_note": row.source_note,
        "external_id": event.external_id,
    }
    values = {name: clean(value) for name, value in values.items()}
    for name in NEUTRALISED_COLUMNS:
        values[name] = neutralise(values[name])
    return values


def dataframe(chronology: Chronology) -> pd.DataFrame:
    import pandas as pd

    head = chronology.chain_head
    frame = pd.DataFrame([{**row_values(r), "history_chain": head} for r in chronology.rows], columns=list(COLUMNS))
    return frame.astype({c: "object" for c in COLUMNS if c != "no"}).astype({"no": "int64"})


def render_csv(chronology: Chronology) -> bytes:
    # CRLF rows (RFC 4180): a field holding a lone CR or LF is then quoted, so every CSV reader keeps it.
    return dataframe(chronology).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


WIDTHS = {"no": 6, "date": 22, "date_start": 17, "date_end": 17, "title": 50, "description": 80, "actors": 30,
          "issues": 30, "citations": 24, "source_note": 24}  # fmt: skip


# Long text wraps in its cell, on screen and on paper.
WRAPPED = frozenset({"date", "title", "description", "actors", "issues", "citations", "source_note"})


def _print_setup(sheet, paper: str) -> None:
    """Printed as a chronology is read: landscape on the export's paper, every column on one page's width (as many
    pages down as it takes), the header row at the top of every page, the cells' text wrapped, page numbers below."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4 if paper == "a4" else sheet.PAPERSIZE_LETTER
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.oddFooter.center.text = "Page &P of &N"


def render_xlsx(chronology: Chronology) -> bytes:
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        dataframe(chronology).to_excel(writer, sheet_name="Chronology", index=False)
        sheet = writer.sheets["Chronology"]
        if chronology.chain_head:  # also in the workbook's properties, for an export without rows
            writer.book.properties.keywords = f"history chain {chronology.chain_head}"
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, name in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(name, 12)
            sheet.cell(row=1, column=i).font = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        for cells in sheet.iter_rows(min_row=2):
            for name, cell in zip(COLUMNS, cells, strict=True):
                if name in WRAPPED:
                    cell.alignment = wrap
        _print_setup(sheet, chronology.options.paper)
        # Text cells stay text: openpyxl would store a string beginning with "=" as a formula (neutralised above;
        # this guards the machine columns, which never begin with "=").
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return buffer.getvalue()
