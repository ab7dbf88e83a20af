"""The court-ready chronology as a PDF/A-3b (WeasyPrint): caption page, visual timeline, the numbered table of events,
the exhibit index, bookmarks per year, metadata, and optionally the cited exhibits attached with a CSV manifest.
The attorney reports (reports.py) are printed in the same frame (templates/pdf/frame.html: the caption page with
the filters and the history chain head, running header, "Page X of Y", legend, metadata, fonts, PDF/A) with a body
of their own (templates/pdf/report.html); the privilege log's seven columns are printed in landscape.

`render_pdf` renders in a single pass, or, for a large chronology, in sections (sectioned.py) that each render a slice
of the rows through `html_for`, without the page number, which `page_numbers_html` prints afterwards over the whole;
it reports which in `RenderedPdf.sections`. Year bookmarks are decided on the whole chronology, so a year cut in two
by sectioning is bookmarked once.

Rendering is offline (../fetcher.py). All matter and event text reaches the HTML through Django's autoescaping, and
the running header and footer strings reach CSS through `css_string`, which escapes every character that could end
the string or the <style> element. The text comes as the package's definitions write it (names and titles shown,
the rest cleaned), and the whole HTML is cleaned once more, so no stored character can stop the rendering.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from weasyprint import Attachment

from evidence import section_worker
from evidence.exporting import PRIVILEGE_LOG, Chronology, Exhibit, Progress, Row, glyphs, sectioned
from evidence.exporting.reports import Report
from evidence.exporting.timeline import timeline_layout
from evidence.fetcher import PDF_STATIC, StaticOnlyFetcher
from evidence.filenames import exhibit_file_name
from evidence.integrity import read_verified
from evidence.models.chain import EMPTY_HEAD
from evidence.text import clean

logger = logging.getLogger(__name__)

PAPER = {"letter": ("letter", 624), "a4": ("A4", 601)}  # CSS size, content width in CSS px (1/96 in)
MANIFEST_NAME = "exhibit-manifest.csv"
BASE_URL = PDF_STATIC.as_uri() + "/"
# A section's footer leaves the page number out: it is printed over the merged PDF (page_numbers_html).
UNNUMBERED = " @page { @bottom-right { content: none; } }"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sections: int  # 1: a single pass; more: rendered in that many parallel sections, then merged
    warnings: tuple[str, ...] = ()  # characters no font has, and where (glyphs.py): printed as empty boxes


def css_string(text: str) -> str:
    """A CSS string literal holding `text` exactly; only letters, digits and spaces are written as they are.

    Every other character becomes a hex escape closed by one space, which CSS consumes as part of the escape."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def attachment_name(document) -> str:
    return exhibit_file_name(document)


def page_css(chronology: Chronology, *, landscape: bool = False, title: str = "") -> str:
    caption = chronology.caption
    size, _ = PAPER[chronology.options.paper]
    size += " landscape" if landscape else ""
    title = title or chronology.title
    right = f"{title}, Case No. {caption.case_number}" if caption.case_number else title
    legend = "" if chronology.is_filing else caption.legend  # the team's legend ("work product") is no filing's
    return (
        f"@page {{ size: {size}; @top-left {{ content: {css_string(caption.short_title)}; }} "
        f"@top-right {{ content: {css_string(right)}; }} "
        f"@bottom-left {{ content: {css_string(legend)}; }} }}"
    )


def frame_context(
    chronology: Chronology, *, summary: str, count: tuple[str, str], landscape: bool = False, title: str | None = None
) -> dict:
    """What templates/pdf/frame.html prints for every report: the metadata, the page rules and the caption page.
    `title` stands for the chronology's own (a redline's)."""
    caption = chronology.caption
    title = title or chronology.title
    return {
        "title": f"{title} — {caption.short_title}",
        "heading": title,
        "keywords": f"{title.lower()}, {caption.short_title}",
        "author": chronology.author,
        "subject": _subject(chronology, summary),
        "created_iso": chronology.prepared_at.isoformat(timespec="seconds"),
        "page_css": page_css(chronology, landscape=landscape, title=title),
        "caption": caption,
        "parties": caption.parties,
        "prepared": chronology.prepared_display,
        "prepared_by": chronology.author,
        "filing": chronology.is_filing,
        "filters": chronology.filters_applied,
        "count_label": count[0],
        "count_text": count[1],
        "chain_head": chronology.chain_head,
        "chain_empty": chronology.chain_head == EMPTY_HEAD,
        "show_caption": True,
    }


def html_for(
    chronology: Chronology,
    *,
    rows: list[Row] | None = None,
    show_caption: bool = True,
    show_exhibits: bool = True,
    attachments: dict[int, str] | None = None,
    numbered: bool = True,
) -> str:
    """The HTML of the whole chronology, or of one section of it (a slice of rows, with or without the first page and
    the exhibit index, and without page numbers) for the sectioned renderer."""
    attachments = attachments or {}
    bookmarks = _year_bookmarks(chronology.rows)
    _, width = PAPER[chronology.options.paper]
    with_timeline = chronology.options.timeline
    summary = f"Chronology of {len(chronology.rows)} events in {chronology.caption.short_title}"
    frame = frame_context(chronology, summary=summary, count=("Events", chronology.events_count_text))
    if not numbered:
        frame["page_css"] += UNNUMBERED
    context = {
        **frame,
        "exhibits_count": len(chronology.exhibits),
        "embedded": bool(attachments),
        "show_caption": show_caption,
        "show_exhibits": show_exhibits,
        "timeline": timeline_layout(chronology.events, width=width, show_key=not chronology.is_filing)
        if show_caption and with_timeline
        else None,
        "signature": chronology.signature_lines,
        "dated": chronology.dated_display,
        "rows": [_row_context(r, bookmarks.get(r.no)) for r in (chronology.rows if rows is None else rows)],
        "exhibits": [_exhibit_context(x, attachments, hashes=not chronology.is_filing) for x in chronology.exhibits],
        "source_redlines": chronology.source_redlines if show_exhibits else [],
        "source_redlines_count": len(chronology.source_redlines),
    }
    return clean(render_to_string("pdf/chronology.html", context))


def report_html(report: Report) -> str:
    chronology = report.chronology
    summary = f"{report.title} of {chronology.caption.short_title}: {report.count[1]}"
    context = {
        **frame_context(chronology, summary=summary, count=report.count, landscape=report.key == PRIVILEGE_LOG),
        "lead": report.lead,
        "empty": report.empty if report.is_empty else "",
        "groups": [
            {"heading": g.heading, "detail": g.detail, "rows": [_row_context(r, None) for r in g.rows]}
            for g in report.groups
        ],
        "exhibits": [_exhibit_context(x, {}) for x in report.exhibits],
        "log": report.log,
    }
    return clean(render_to_string("pdf/report.html", context))


def _year_bookmarks(rows: list[Row]) -> dict[int, str]:
    """The row No. each year's bookmark points at: decided on the whole chronology, so sections never repeat a year."""
    bookmarks, seen = {}, set()
    for row in rows:
        if row.year not in seen:
            seen.add(row.year)
            bookmarks[row.no] = "Undated events" if row.year == "Undated" else row.year
    return bookmarks


def _subject(chronology: Chronology, summary: str) -> str:
    caption = chronology.caption
    court = ""
    if caption.court:
        court = f"({caption.court}{', Case No. ' + caption.case_number if caption.case_number else ''})"
    parts = (
        summary,
        court,
        "" if chronology.is_filing else "Filters: " + "; ".join(chronology.filters_applied) + ".",
    )
    return " ".join(p for p in parts if p)


def _row_context(row: Row, bookmark: str | None) -> dict:
    return {
        "no": row.no,
        "bm": bookmark,
        "date": row.date,
        "key": row.bold,
        "marks": row.marks,
        "title": row.title,
        "description": row.description,
        "kind": row.kind_line,
        "sources": [(s.label, f"Bates {s.bates}" if s.bates else "", s.note) for s in row.sources],
        "note": row.source_note,
    }


def _exhibit_context(exhibit: Exhibit, attachments: dict[int, str], *, hashes: bool = True) -> dict:
    document = exhibit.document
    return {
        "hash": hashes,
        "label": exhibit.label,
        "title": exhibit.title,
        "date": document.date.display() if document.date_start else "",
        "bates": exhibit.bates,
        "sha256": document.sha256,
        "cited_by": exhibit.cited_by_text,
        "privileged": document.is_privileged,
        "attachment": attachments.get(document.pk, ""),
    }


def exhibit_files(chronology: Chronology) -> tuple[list[tuple[bytes, str, str, str]], dict[int, str]]:
    """Each cited document's file (relationship Source) and a CSV manifest (Supplement): exhibit, file name, SHA-256,
    title, and the history chain head the chronology was built from (the same on every row, as in the CSV export);
    as (content, name, description, relationship), with the file name of each document."""
    files, names = [], {}
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["exhibit", "file_name", "sha256", "title", "history_chain"])
    for exhibit in chronology.exhibits:
        document = exhibit.document
        name = attachment_name(document)
        content = read_verified(document)  # a file that changed in storage is refused, never attached as the exhibit
        files.append((content, name, f"{exhibit.label}: {exhibit.title}", "Source"))
        names[document.pk] = name
        writer.writerow([exhibit.label, name, document.sha256, exhibit.title, chronology.chain_head])
    description = "Exhibits attached to this chronology, with their SHA-256"
    files.append((manifest.getvalue().encode("utf-8"), MANIFEST_NAME, description, "Supplement"))
    return files, names


def page_numbers_html(chronology: Chronology, pages: int) -> str:
    """`pages` blank pages under the chronology's page rules, printing only "Page X of Y" where the footer does."""
    size, _ = PAPER[chronology.options.paper]
    none = "content: none;"
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="chronology.css"><style>'
        f"@page {{ size: {size}; @top-left {{ {none} }} @top-right {{ {none} }} @bottom-left {{ {none} }} }} "
        "div { break-after: page; } div:last-child { break-after: auto; }</style></head><body>"
        + "<div></div>" * pages
        + "</body></html>"
    )


def write_pdf(html: str, files: list[tuple[bytes, str, str, str]], *, fetcher: StaticOnlyFetcher) -> bytes:
    attachments = [
        Attachment(
            string=content, name=name, description=description, relationship=relationship, url_fetcher=fetcher
        )  # fmt: skip
        for content, name, description, relationship in files
    ]
    return section_worker.write_pdf(html, base_url=BASE_URL, fetcher=fetcher, attachments=attachments)[0]


def render_pdf(chronology: Chronology, *, progress: Progress | None = None) -> RenderedPdf:
    fetcher = StaticOnlyFetcher()
    files, names = ([], {})
    if chronology.options.embed_exhibits:
        files, names = exhibit_files(chronology)
    rendered = None
    workers = sectioned.section_workers(len(chronology.rows))
    if workers > 1:
        rendered = _render_in_sections(chronology, workers, files, names, fetcher, progress)
    if rendered is None:
        rendered = RenderedPdf(write_pdf(html_for(chronology, attachments=names), files, fetcher=fetcher), sections=1)
    if fetcher.refused:
        logger.warning("PDF export of %s refused to fetch: %s", chronology.matter.slug, fetcher.refused)
    warnings = glyphs.missing_glyph_warnings(chronology)
    for warning in warnings:
        logger.warning("PDF export of %s: %s", chronology.matter.slug, warning)
    logger.info(
        "PDF of %s: %d events in %d section(s)", chronology.matter.slug, len(chronology.rows), rendered.sections
    )
    return dataclasses.replace(rendered, warnings=tuple(warnings))


def render_report_pdf(report: Report) -> RenderedPdf:
    """A report in one pass: the sectioned renderer cuts a chronology's rows at changes of year, which a report's
    groups and lists do not follow."""
    fetcher = StaticOnlyFetcher()
    content = write_pdf(report_html(report), [], fetcher=fetcher)
    if fetcher.refused:
        logger.warning("PDF report of %s refused to fetch: %s", report.chronology.matter.slug, fetcher.refused)
    warnings = glyphs.missing_glyph_warnings(report.chronology, report.places())
    for warning in warnings:
        logger.warning("PDF report of %s: %s", report.chronology.matter.slug, warning)
    return RenderedPdf(content, sections=1, warnings=tuple(warnings))


def _render_in_sections(chronology, workers, files, names, fetcher, progress) -> RenderedPdf | None:
    """The chronology rendered in sections by `workers` processes, or None (logged) when that failed."""
    slices = sectioned.split_rows(chronology.rows, sectioned.section_count(len(chronology.rows), workers))
    last, total = len(slices) - 1, len(chronology.rows)
    sections = (
        sectioned.Section(
            html=html_for(
                chronology, rows=part, show_caption=i == 0, show_exhibits=i == last, attachments=names, numbered=False
            ),  # fmt: skip
            rows=len(part),
        )
        for i, part in enumerate(slices)
    )
    report = (lambda done: progress(min(done, total - 1), total)) if progress else (lambda done: None)
    try:
        rendered = sectioned.render_sections(
            sections,
            attachments=files,
            numbers_html=functools.partial(page_numbers_html, chronology),
            base_url=BASE_URL,
            roots=fetcher.roots,
            workers=workers,
            progress=report,
        )
    except sectioned.SectionError:
        logger.exception("Sectioned rendering of %s failed; rendering in one pass", chronology.matter.slug)
        return None
    fetcher.refused.extend(rendered.refused)
    return RenderedPdf(rendered.content, sections=rendered.sections)
