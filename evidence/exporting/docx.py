"""The chronology as an editable Word document (python-docx): caption, title, the table of events, the exhibit index,
and the confidentiality legend with "Page X of Y" in the footer. Plain styles, so attorneys can restyle it in Word.
The attorney reports (reports.py) share that frame (`_frame`, `_finish`) with a body of their own; the privilege
log's seven columns are laid out in landscape.

The text comes as the package's definitions write it (names and titles shown, the rest cleaned); every run is
cleaned once more on its way in, since python-docx refuses a character XML refuses rather than write it."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor, Twips

from evidence.exporting import PRIVILEGE_LOG, Chronology, Exhibit, Row
from evidence.exporting.reports import LogEntry, Report
from evidence.text import clean

FONT = "Times New Roman"  # Liberation Serif, the PDF's font, has the same metrics
PAGE = {"letter": (Inches(8.5), Inches(11)), "a4": (Inches(8.27), Inches(11.69))}
EMU_PER_INCH = 914400


def render_docx(chronology: Chronology) -> bytes:
    document, content_width = _frame(chronology, count=("Events", chronology.events_count_text))
    _events_table(document, chronology.rows, content_width)
    _exhibit_index(document, chronology, content_width)
    _signature(document, chronology)
    return _finish(document, chronology, f"Chronology of {len(chronology.rows)} events")


def _signature(document, chronology: Chronology) -> None:
    """The filing version's signature block, dated, at the right half of the page."""
    lines = chronology.signature_lines
    if not lines:
        return
    document.add_paragraph().add_run(f"Dated: {chronology.dated_display}")
    block = document.add_paragraph()
    block.paragraph_format.left_indent = Inches(3.25)
    block.paragraph_format.keep_together = True
    for i, line in enumerate(lines):
        run = block.add_run(clean(line))
        if i < len(lines) - 1:
            run.add_break()


def render_report_docx(report: Report) -> bytes:
    chronology = report.chronology
    landscape = report.key == PRIVILEGE_LOG
    document, content_width = _frame(chronology, count=report.count, lead=report.lead, landscape=landscape)
    for group in report.groups:
        document.add_heading(group.heading, level=2)
        document.add_paragraph().add_run(group.detail).italic = True
        if group.rows:
            _events_table(document, group.rows, content_width)
        else:
            document.add_paragraph().add_run("No event in the matter yet.").italic = True
    if report.exhibits:
        _exhibits_table(document, report.exhibits, content_width, title_header="Description")
    if report.log:
        _privilege_table(document, report.log, content_width)
    if report.is_empty:
        document.add_paragraph().add_run(report.empty).italic = True
    return _finish(document, chronology, f"{report.title} ({report.count[1]})")


def _frame(chronology: Chronology, *, count: tuple[str, str], lead: str = "", landscape: bool = False):
    """A new document with the page, styles, running header and footer, caption and cover facts of every export;
    with the width left for the content, in inches."""
    document = Document()
    content_width = _page(document, chronology.options.paper, landscape=landscape)
    _styles(document)
    _running_header_and_footer(document.sections[0], chronology)
    _caption(document, chronology, content_width)
    _facts(document, chronology, count)
    if lead:
        document.add_paragraph().add_run(lead).italic = True
    return document, content_width


def _legend(chronology: Chronology) -> str:
    """The matter's confidentiality legend; none in the filing version (the team's legend is no court's)."""
    return "" if chronology.is_filing else chronology.caption.legend


def _finish(document, chronology: Chronology, summary: str) -> bytes:
    if _legend(chronology):
        document.add_paragraph().add_run(chronology.caption.legend).italic = True
    _properties(document, chronology, summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document, paper: str, *, landscape: bool = False) -> float:
    """Portrait (or landscape), 1-inch margins; the width left for the content, in inches."""
    section = document.sections[0]
    width, height = PAGE[paper]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    return (section.page_width - section.left_margin - section.right_margin) / EMU_PER_INCH


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)
    for name, size in (("Heading 1", 14), ("Heading 2", 12)):  # a report's issues and actors are Heading 2
        heading = document.styles[name]
        heading.font.name, heading.font.size, heading.font.color.rgb = FONT, Pt(size), RGBColor(0, 0, 0)
        fonts = heading.element.rPr.rFonts
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would override the serif named above


def _running_header_and_footer(section, chronology: Chronology) -> None:
    caption = chronology.caption
    header = section.header.paragraphs[0]
    title = chronology.title
    header.text = caption.short_title + (
        f"\t\t{title}, Case No. {caption.case_number}" if caption.case_number else f"\t\t{title}"
    )
    footer = section.footer.paragraphs[0]
    legend = _legend(chronology)
    footer.text = (legend + "\t\t") if legend else "\t\t"
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(9)


def _caption(document, chronology: Chronology, content_width: float) -> None:
    caption = chronology.caption
    if caption.court:
        court = document.add_paragraph()
        court.alignment = WD_ALIGN_PARAGRAPH.CENTER
        court.add_run(caption.court.upper()).bold = True
    box = document.add_table(rows=1, cols=2)
    _fixed_widths(box, [content_width * 0.55, content_width * 0.45])
    parties, case = box.rows[0].cells
    for line in caption.parties or [caption.short_title]:
        _cell_text(parties, line)
    _cell_text(case, f"Case No. {caption.case_number or '(not yet assigned)'}")
    _cell_text(case, chronology.title.upper(), bold=True)


def _facts(document, chronology: Chronology, count: tuple[str, str]) -> None:
    caption = chronology.caption
    document.add_heading(chronology.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    prepared_by = f" by {chronology.author}" if chronology.author else ""
    if chronology.is_filing:
        facts = [("Matter", caption.short_title), ("As of", chronology.prepared_display), count]
    else:
        facts = [
            ("Matter", caption.short_title),
            ("Prepared", chronology.prepared_display + prepared_by),
            ("Filters applied", "; ".join(chronology.filters_applied)),
            count,
        ]
    if _legend(chronology):
        facts.append(("Confidentiality", caption.legend))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(value))


def _events_table(document, rows: list[Row], content_width: float) -> None:
    widths = [0.45, 1.15, content_width - 0.45 - 1.15 - 1.4, 1.4]
    table = _table(document, ["No.", "Date", "Event", "Source"], widths)
    for row in rows:
        _event_row(_add_row(table, widths), row)


def _event_row(cells, row: Row) -> None:
    _cell_text(cells[0], str(row.no))
    _cell_text(cells[1], row.date, bold=row.bold)
    title = _cell_text(cells[2], f"[{', '.join(row.marks)}] " if row.marks else "", bold=True)
    title.add_run(row.title).bold = row.bold or None
    for line in row.description.splitlines():
        if line.strip():
            _cell_text(cells[2], line)
    if row.kind_line:
        _cell_text(cells[2], row.kind_line, italic=True)
    for label, bates, note in row.sources:
        _cell_text(cells[3], label + (f" (Bates {bates})" if bates else "") + (f" — {note}" if note else ""))
    if row.source_note:
        _cell_text(cells[3], row.source_note, italic=True)


def _exhibit_index(document, chronology: Chronology, content_width: float) -> None:
    document.add_heading("Exhibit Index", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not chronology.exhibits:
        document.add_paragraph("The events in this chronology cite no exhibits.").runs[0].italic = True
        return
    _exhibits_table(document, chronology.exhibits, content_width, title_header="Title")


def _exhibits_table(document, exhibits: list[Exhibit], content_width: float, *, title_header: str) -> None:
    widths = [0.8, content_width - 0.8 - 1.05 - 1.15 - 0.95, 1.05, 1.15, 0.95]
    index = _table(document, ["Exhibit", title_header, "Date", "Bates range", "Cited by"], widths)
    for exhibit in exhibits:
        doc = exhibit.document
        cells = _add_row(index, widths)
        _cell_text(cells[0], exhibit.label)
        title = _cell_text(cells[1], "[Privileged] " if doc.is_privileged else "", bold=True)
        title.add_run(clean(exhibit.title))
        if exhibit.filing is None:
            _cell_text(cells[1], f"SHA-256 {doc.sha256}", size=8)
        _cell_text(cells[2], doc.date.display() if doc.date_start else "")
        _cell_text(cells[3], exhibit.bates)
        _cell_text(cells[4], exhibit.cited_by_text)


def _privilege_table(document, log: list[LogEntry], content_width: float) -> None:
    fixed = [0.4, 1.05, 1.35, 1.3, 1.3, 1.1]
    widths = [*fixed, content_width - sum(fixed)]
    headers = ["No.", "Date", "Document", "Author", "Recipients", "Privilege asserted", "Description"]
    table = _table(document, headers, widths)
    for entry in log:
        cells = _add_row(table, widths)
        _cell_text(cells[0], str(entry.no))
        _cell_text(cells[1], entry.date)
        _cell_text(cells[2], entry.document)
        if entry.bates:
            _cell_text(cells[2], entry.bates)
        _cell_text(cells[2], entry.type, italic=True)
        _cell_text(cells[3], entry.author)
        _cell_text(cells[4], entry.recipients)
        _cell_text(cells[5], entry.privilege)
        _cell_text(cells[6], entry.description)
        if entry.actors:
            _cell_text(cells[6], entry.actors, italic=True)


def _properties(document, chronology: Chronology, summary: str) -> None:
    short_title = chronology.caption.short_title
    core = document.core_properties
    # Word keeps at most 255 characters in a document property (python-docx refuses more).
    core.title = f"{chronology.title} — {short_title}"[:255]
    core.author = chronology.author[:255]
    core.subject = f"{summary} in {short_title}"[:255]
    core.created = chronology.prepared_at.astimezone(dt.UTC).replace(tzinfo=None)  # python-docx writes it as UTC


def _table(document, headers: list[str], widths: list[float]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True)
    _row_property(table.rows[0], "w:tblHeader")  # repeated at the top of every page
    return table


def _fixed_widths(table, widths: list[float]) -> None:
    """Columns of these widths (inches) in Word and in LibreOffice: Word lays a table out by its cells' widths,
    LibreOffice by the table's grid, which python-docx writes as equal columns; so the grid, the first row's cells
    (`_add_row` sizes the others) and the table's total width are all written, with a fixed layout (no autofit)."""
    table.autofit = False
    twips = [round(width * 1440) for width in widths]
    for column, cell, width in zip(table.columns, table.rows[0].cells, twips, strict=True):
        column.width = Twips(width)
        cell.width = Twips(width)
    total = table._tbl.tblPr.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(twips)))


def _add_row(table, widths: list[float]):
    """A new row, kept whole on one page, its cells sized to the header's widths."""
    row = table.add_row()
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Twips(round(width * 1440))
    _row_property(row, "w:cantSplit")
    return row.cells


def _row_property(row, tag: str) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _cell_text(cell, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    first = cell.paragraphs[0]
    paragraph = first if len(cell.paragraphs) == 1 and not first.runs else cell.add_paragraph()
    run = paragraph.add_run(clean(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
