"""The chronology as an editable Word document (python-docx): caption, title, the table of events, the exhibit index,
and the confidentiality legend with "Page X of Y" in the footer. Plain styles, so attorneys can restyle it in Word."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from evidence.exporting import TITLE, Chronology
from evidence.exporting.pdf import cited_by_text
from evidence.models import EventKind

FONT = "Times New Roman"  # Liberation Serif, the PDF's font, has the same metrics
PAGE = {"letter": (Inches(8.5), Inches(11)), "a4": (Inches(8.27), Inches(11.69))}
_KIND_LABELS = dict(EventKind.choices)


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


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_row_together(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.append(cant_split)


def _cell_text(cell, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    first = cell.paragraphs[0]
    paragraph = first if len(cell.paragraphs) == 1 and not first.runs else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _table(document, headers: list[str], widths: list[float]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text, width in zip(table.rows[0].cells, headers, widths):
        _cell_text(cell, text, bold=True)
        cell.width = Inches(width)
    _repeat_header(table.rows[0])
    return table


def render_docx(chronology: Chronology) -> bytes:
    matter = chronology.matter
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE[chronology.options.paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)
    heading = document.styles["Heading 1"]
    heading.font.name, heading.font.size, heading.font.color.rgb = FONT, Pt(14), RGBColor(0, 0, 0)
    fonts = heading.element.rPr.rFonts
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    content_width = (section.page_width - section.left_margin - section.right_margin) / 914400  # inches

    header = section.header.paragraphs[0]
    header.text = matter.short_title + (f"\t\tCase No. {matter.case_number}" if matter.case_number else f"\t\t{TITLE}")
    footer = section.footer.paragraphs[0]
    footer.text = (matter.confidentiality_legend + "\t\t") if matter.confidentiality_legend else "\t\t"
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(9)

    if matter.court:
        court = document.add_paragraph()
        court.alignment = WD_ALIGN_PARAGRAPH.CENTER
        court.add_run(matter.court.upper()).bold = True
    caption = document.add_table(rows=1, cols=2)
    caption.autofit = False
    parties, case = caption.rows[0].cells
    parties.width, case.width = Inches(content_width * 0.55), Inches(content_width * 0.45)
    for line in chronology.parties_lines or [matter.short_title]:
        _cell_text(parties, line)
    _cell_text(case, f"Case No. {matter.case_number or '(not yet assigned)'}")
    _cell_text(case, TITLE.upper(), bold=True)

    document.add_heading(TITLE, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    facts = [
        ("Matter", matter.short_title),
        ("Prepared", chronology.prepared_display + (f" by {chronology.prepared_by}" if chronology.prepared_by else "")),
        ("Filters applied", "; ".join(chronology.filters_applied)),
        ("Events", chronology.events_count_text),
    ]
    if matter.confidentiality_legend:
        facts.append(("Confidentiality", matter.confidentiality_legend))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    widths = [0.45, 1.15, content_width - 0.45 - 1.15 - 1.4, 1.4]
    table = _table(document, ["No.", "Date", "Event", "Source"], widths)
    for row in chronology.rows:
        event = row.event
        cells = table.add_row().cells
        for cell, width in zip(cells, widths):
            cell.width = Inches(width)
        _cell_text(cells[0], str(row.no))
        _cell_text(cells[1], row.date, bold=event.is_key)
        marks = [m for m, on in (("Key fact", event.is_key), ("Disputed", event.is_disputed),
                                 ("Privileged", event.is_privileged)) if on]  # fmt: skip
        title = _cell_text(cells[2], f"[{', '.join(marks)}] " if marks else "", bold=True)
        title.add_run(event.title).bold = event.is_key or None
        for line in event.description.splitlines() or []:
            if line.strip():
                _cell_text(cells[2], line)
        meta = _KIND_LABELS.get(event.kind, event.kind)
        actors = ", ".join(a.name for a in event.actors.all())
        _cell_text(cells[2], meta + (f"; {actors}" if actors else ""), italic=True)
        for citation in row.citations:
            bates = citation.document.bates_range
            text = citation.label + (f" (Bates {bates})" if bates and bates not in citation.pinpoint else "")
            _cell_text(cells[3], text)
        if event.source_note:
            _cell_text(cells[3], event.source_note, italic=True)
        _keep_row_together(table.rows[-1])

    document.add_heading("Exhibit Index", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if chronology.exhibits:
        widths = [0.8, content_width - 0.8 - 1.05 - 1.15 - 0.95, 1.05, 1.15, 0.95]
        index = _table(document, ["Exhibit", "Title", "Date", "Bates range", "Cited by"], widths)
        for exhibit in chronology.exhibits:
            doc = exhibit.document
            cells = index.add_row().cells
            for cell, width in zip(cells, widths):
                cell.width = Inches(width)
            _cell_text(cells[0], doc.exhibit_label)
            _cell_text(cells[1], doc.title)
            _cell_text(cells[1], f"SHA-256 {doc.sha256}", size=8)
            _cell_text(cells[2], doc.date.display() if doc.date_start else "")
            _cell_text(cells[3], doc.bates_range)
            _cell_text(cells[4], cited_by_text(exhibit.cited_by))
            _keep_row_together(index.rows[-1])
    else:
        document.add_paragraph("The events in this chronology cite no exhibits.").runs[0].italic = True
    if matter.confidentiality_legend:
        legend = document.add_paragraph()
        legend.add_run(matter.confidentiality_legend).italic = True

    core = document.core_properties
    core.title = f"{TITLE} — {matter.short_title}"
    core.author = chronology.prepared_by
    core.subject = f"Chronology of {len(chronology.rows)} events in {matter.short_title}"
    core.created = chronology.prepared_at.astimezone(dt.UTC).replace(tzinfo=None)  # python-docx writes it as UTC
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
