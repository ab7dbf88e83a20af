"""The court-ready chronology as a PDF/A-3b (WeasyPrint): caption page, visual timeline, the numbered table of events,
the exhibit index, bookmarks per year, metadata, and optionally the cited exhibits attached with a CSV manifest.

Large chronologies (`SECTION_MIN_EVENTS` events and more, on a machine with several cores, in a single-threaded process)
are rendered by sections in parallel: the rows are cut into one slice per worker, at a change of year where one is
near; each worker (forked) lays out its slice, reports its page count, waits for its first page's global number and
the total, then draws its running footers with those numbers ("Page X of Y" is correct across sections) and writes
its PDF. The parent merges the parts with pypdf: the first part (caption, metadata, PDF/A-3 XMP, attachments) is the
base, the others' pages and year bookmarks are appended. Year bookmarks are decided on the whole chronology, so a year
cut in two is bookmarked once. The hook into WeasyPrint is `weasyprint.layout.make_margin_boxes`, called once per
page after pagination; if it is missing (another WeasyPrint), the export falls back to a single pass.

Rendering is offline (see fetcher.py). All matter and event text reaches the HTML through Django's autoescaping, and
the running header and footer strings reach CSS through `css_string`, which escapes every character that could end
the string or the <style> element.
"""

from __future__ import annotations

import csv
import io
import logging
import multiprocessing
import os
import re
import threading

from django.template.loader import render_to_string
from weasyprint import HTML, Attachment

from evidence.exporting import TITLE, Chronology, Progress
from evidence.exporting.fetcher import PDF_STATIC, StaticOnlyFetcher
from evidence.exporting.timeline import render_timeline_svg
from evidence.models import EventKind

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
            p
            for p in (
                f"Chronology of {len(all_rows)} events in {matter.short_title}",
                f"({matter.court}{', Case No. ' + matter.case_number if matter.case_number else ''})"
                if matter.court
                else "",
                "Filters: " + "; ".join(filters) + ".",
            )
            if p
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
            Attachment(
                string=content,
                name=name,
                description=f"{document.exhibit_label}: {document.title}",
                relationship="Source",
                url_fetcher=fetcher,
            )  # fmt: skip
        )
        names[document.pk] = name
        writer.writerow([document.exhibit_label, name, document.sha256, document.title])
    attachments.append(
        Attachment(
            string=manifest.getvalue().encode("utf-8"),
            name=MANIFEST_NAME,
            description="Exhibits attached to this chronology, with their SHA-256",
            relationship="Supplement",
            url_fetcher=fetcher,
        )  # fmt: skip
    )
    return attachments, names


WRITE_OPTIONS = {"pdf_variant": "pdf/a-3b"}
SECTION_MIN_EVENTS = 600  # below this, one pass: forking and merging would cost more than they save
MAX_WORKERS = 4
SECTION_TIMEOUT = 1800  # seconds a worker may take to lay out its section


def _html_document(html: str, fetcher) -> HTML:
    return HTML(string=html, base_url=PDF_STATIC.as_uri() + "/", url_fetcher=fetcher)


def render_pdf(chronology: Chronology, *, progress: Progress | None = None) -> bytes:
    fetcher = StaticOnlyFetcher()
    attachments, names = ([], {})
    if chronology.options.embed_exhibits:
        attachments, names = exhibit_attachments(chronology, fetcher)
    workers = section_workers(len(chronology.rows))
    content = None
    if workers > 1:
        try:
            content = _render_sections(chronology, workers, fetcher, attachments, names, progress)
        except SectionError:
            logger.exception("Sectioned rendering of %s failed; rendering in one pass", chronology.matter.slug)
    if content is None:
        html = html_for(chronology, attachments=names)
        content = _html_document(html, fetcher).write_pdf(attachments=attachments or None, **WRITE_OPTIONS)
    if fetcher.refused:
        logger.warning("PDF export of %s refused to fetch: %s", chronology.matter.slug, fetcher.refused)
    return content


# Sectioned rendering ---------------------------------------------------------------------------------------------


class SectionError(Exception):
    pass


def section_workers(rows: int) -> int:
    """How many parallel sections to render: 1 (a single pass) unless the chronology is large and forking is safe."""
    import weasyprint.layout

    if rows < SECTION_MIN_EVENTS or not hasattr(weasyprint.layout, "make_margin_boxes"):
        return 1
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # forking a multi-threaded process can deadlock
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, rows // (SECTION_MIN_EVENTS // 2)))


def split_rows(rows: list, parts: int) -> list[list]:
    """`parts` slices of about equal size, each cut moved to a change of year when one is within a tenth of a slice."""
    size = len(rows) / parts
    cuts = [0]
    for k in range(1, parts):
        target = round(k * size)
        window = int(size / 10)
        best = None
        for delta in range(window + 1):
            for i in (target - delta, target + delta):
                if cuts[-1] < i < len(rows) and rows[i].year != rows[i - 1].year:
                    best = i
                    break
            if best is not None:
                break
        cuts.append(best if best is not None else target)
    cuts.append(len(rows))
    return [rows[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _section_worker(conn, html: str, fetcher, attachments) -> None:
    """In a forked process: lay out one section, trade its page count for its global page numbers, write its PDF."""
    import weasyprint.layout

    original = weasyprint.layout.make_margin_boxes
    numbering = {}

    def numbered_margin_boxes(context, page, state):
        counters = state[1]
        if not numbering:
            conn.send(("pages", counters["pages"][0]))
            numbering.update(zip(("offset", "total"), conn.recv()))
        counters["page"] = [counters["page"][0] + numbering["offset"]]
        counters["pages"] = [numbering["total"]]
        return original(context, page, state)

    try:
        weasyprint.layout.make_margin_boxes = numbered_margin_boxes
        content = _html_document(html, fetcher).write_pdf(attachments=attachments or None, **WRITE_OPTIONS)
        conn.send(("pdf", content))
    except BaseException as error:  # reported to the parent, which falls back to one pass
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def _render_sections(chronology, workers, fetcher, attachments, names, progress) -> bytes:
    import pypdf

    slices = split_rows(chronology.rows, workers)
    last = len(slices) - 1
    htmls = [
        html_for(chronology, rows=part, show_caption=i == 0, show_exhibits=i == last, attachments=names)
        for i, part in enumerate(slices)
    ]
    context = multiprocessing.get_context("fork")
    channels, processes = [], []
    try:
        for i, html in enumerate(htmls):
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=_section_worker, args=(child_end, html, fetcher, attachments if i == 0 else []), daemon=True
            )
            process.start()
            child_end.close()
            channels.append(parent_end)
            processes.append(process)
        pages, done = [], 0
        for conn, part in zip(channels, slices):
            kind, value = _receive(conn)
            pages.append(value)
            done += len(part)
            if progress:
                progress(min(done, len(chronology.rows) - 1), len(chronology.rows))
        total, offset = sum(pages), 0
        for conn, count in zip(channels, pages):
            conn.send((offset, total))
            offset += count
        parts = [_receive(conn, expect="pdf")[1] for conn in channels]
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    if len(writer.pages) != total:
        raise SectionError(f"merged {len(writer.pages)} pages, expected {total}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _receive(conn, expect: str = "pages"):
    if not conn.poll(SECTION_TIMEOUT):
        raise SectionError("a section worker did not answer")
    try:
        kind, value = conn.recv()
    except EOFError:
        raise SectionError("a section worker died") from None
    if kind != expect:
        raise SectionError(f"a section worker failed: {value}")
    return kind, value
