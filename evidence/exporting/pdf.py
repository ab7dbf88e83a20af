"""The court-ready chronology as a PDF/A-3b (WeasyPrint): caption page, visual timeline, the numbered table of events,
the exhibit index, bookmarks per year, metadata, and optionally the cited exhibits attached with a CSV manifest.

Rendering is offline (see fetcher.py). All matter and event text reaches the HTML through Django's autoescaping, and
the running header and footer strings reach CSS through `css_string`, which escapes every character that could end
the string or the <style> element.
"""

from __future__ import annotations

import csv
import io
import logging
import re

from django.template.loader import render_to_string
from weasyprint import HTML, Attachment

from evidence.exporting import TITLE, Chronology, Progress
from evidence.exporting.fetcher import PDF_STATIC, StaticOnlyFetcher
from evidence.models import EventKind
from evidence.timeline_svg import render_timeline_svg

logger = logging.getLogger(__name__)

PAPER = {"letter": ("letter", 624), "a4": ("A4", 601)}  # CSS size, content width in CSS px (1/96 in)
MANIFEST_NAME = "exhibit-manifest.csv"
_KIND_LABELS = dict(EventKind.choices)


def css_string(text: str) -> str:
    """A CSS string literal holding `text` exactly; only letters, digits and spaces are written as they are.

    Every other character becomes a hex escape closed by one space, which CSS consumes as part of the escape."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def cited_by_text(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1–3, 5" """
    parts, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}\u2013{numbers[j]}")
        else:
            parts.extend(str(n) for n in numbers[i : j + 1])
        i = j + 1
    return ", ".join(parts)


def attachment_name(document) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", document.original_filename).strip("._") or "file"
    return f"{document.exhibit_label}_{safe}"


def _row_context(row, bookmark: str | None) -> dict:
    event = row.event
    sources = []
    for citation in row.citations:
        bates = citation.document.bates_range
        sources.append((citation.label, f"Bates {bates}" if bates and bates not in citation.pinpoint else ""))
    return {
        "no": row.no,
        "bm": bookmark,
        "date": row.date,
        "key": event.is_key,
        "disputed": event.is_disputed,
        "privileged": event.is_privileged,
        "title": event.title,
        "description": event.description,
        "kind": _KIND_LABELS.get(event.kind, event.kind),
        "actors": ", ".join(a.name for a in event.actors.all()),
        "sources": sources,
        "note": event.source_note,
    }


def page_css(chronology: Chronology) -> str:
    matter = chronology.matter
    size, _ = PAPER[chronology.options.paper]
    right = f"{TITLE}, Case No. {matter.case_number}" if matter.case_number else TITLE
    legend = matter.confidentiality_legend
    return (
        f"@page {{ size: {size}; @top-left {{ content: {css_string(matter.short_title)}; }} "
        f"@top-right {{ content: {css_string(right)}; }} "
        f"@bottom-left {{ content: {css_string(legend)}; }} }}"
    )


def html_for(
    chronology: Chronology,
    *,
    rows=None,
    show_caption: bool = True,
    show_exhibits: bool = True,
    attachments: dict[int, str] | None = None,
) -> str:
    """The HTML of the whole chronology, or of one section of it (a slice of rows, with or without the first page and
    the exhibit index) for the sectioned renderer."""
    matter = chronology.matter
    all_rows = chronology.rows
    rows = all_rows if rows is None else rows
    attachments = attachments or {}
    seen_years = set()
    first_of_year = {}
    for r in all_rows:  # bookmarks are decided on the whole chronology, so sections never repeat a year
        if r.year not in seen_years:
            seen_years.add(r.year)
            first_of_year[r.no] = "Undated events" if r.year == "Undated" else r.year
    _, width = PAPER[chronology.options.paper]
    filters = chronology.filters_applied
    context = {
        "title": f"{TITLE} — {matter.short_title}",
        "heading": TITLE,
        "author": chronology.prepared_by,
        "subject": " ".join(
            p for p in (f"Chronology of {len(all_rows)} events in {matter.short_title}",
                        f"({matter.court}{', Case No. ' + matter.case_number if matter.case_number else ''})"
                        if matter.court else "", "Filters: " + "; ".join(filters) + ".") if p
        ),  # fmt: skip
        "created_iso": chronology.prepared_at.isoformat(timespec="seconds"),
        "page_css": page_css(chronology),
        "matter": matter,
        "parties": chronology.parties_lines,
        "prepared": chronology.prepared_display,
        "prepared_by": chronology.prepared_by,
        "filters": filters,
        "count_text": chronology.events_count_text,
        "exhibits_count": len(chronology.exhibits),
        "embedded": bool(attachments),
        "show_caption": show_caption,
        "show_exhibits": show_exhibits,
        "svg": render_timeline_svg(chronology.events, width=width) if show_caption else "",
        "rows": [_row_context(r, first_of_year.get(r.no)) for r in rows],
        "exhibits": [
            {
                "label": x.document.exhibit_label,
                "title": x.document.title,
                "date": x.document.date.display() if x.document.date_start else "",
                "bates": x.document.bates_range,
                "sha256": x.document.sha256,
                "cited_by": cited_by_text(x.cited_by),
                "attachment": attachments.get(x.document.pk, ""),
            }
            for x in chronology.exhibits
        ],
    }
    return render_to_string("pdf/chronology.html", context)


def exhibit_attachments(chronology: Chronology, fetcher) -> tuple[list[Attachment], dict[int, str]]:
    """Each cited document's file (relationship Source) and a CSV manifest (Supplement): exhibit, file name, SHA-256."""
    attachments, names = [], {}
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["exhibit", "file_name", "sha256", "title"])
    for exhibit in chronology.exhibits:
        document = exhibit.document
        name = attachment_name(document)
        with document.file.open("rb") as fh:
            content = fh.read()
        attachments.append(
            Attachment(string=content, name=name, description=f"{document.exhibit_label}: {document.title}",
                       relationship="Source", url_fetcher=fetcher)  # fmt: skip
        )
        names[document.pk] = name
        writer.writerow([document.exhibit_label, name, document.sha256, document.title])
    attachments.append(
        Attachment(string=manifest.getvalue().encode("utf-8"), name=MANIFEST_NAME,
                   description="Exhibits attached to this chronology, with their SHA-256", relationship="Supplement",
                   url_fetcher=fetcher)  # fmt: skip
    )
    return attachments, names


WRITE_OPTIONS = {"pdf_variant": "pdf/a-3b"}


def render_pdf(chronology: Chronology, *, progress: Progress | None = None) -> bytes:
    fetcher = StaticOnlyFetcher()
    attachments, names = ([], {})
    if chronology.options.embed_exhibits:
        attachments, names = exhibit_attachments(chronology, fetcher)
    html = html_for(chronology, attachments=names)
    document = HTML(string=html, base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher)
    content = document.write_pdf(attachments=attachments or None, **WRITE_OPTIONS)
    if fetcher.refused:
        logger.warning("PDF export of %s refused to fetch: %s", chronology.matter.slug, fetcher.refused)
    return content
