"""Large chronologies rendered in parallel sections, with "Page X of Y" correct across them.

The rows are cut into one slice per worker, at a change of year where one is near (`split_rows`); the caller writes
each slice's HTML. Each worker (forked) lays out its section, reports its page count, waits for its first page's
global number and the total, then draws its running footers with those numbers and writes its PDF. The parent merges
the parts with pypdf: the first part (caption, metadata, PDF/A-3 XMP, attachments) is the base, the others' pages and
bookmarks are appended.

The numbers reach the footers through a hook on `weasyprint.layout.make_margin_boxes(context, page, state)`, called
once per page after pagination, whose `state[1]` holds the "page" and "pages" counters. That is WeasyPrint's
internals, not its API: the hook is installed only on the series it was written against (`WEASYPRINT_SERIES`, read
from the installed distribution) and only when the function still has the parameters it was written for;
anything else renders in a single pass (`section_workers` returns 1, and says why in the log).

Settings (optional): `EXPORT_PDF_SECTION_MIN_EVENTS`, the size from which a chronology is sectioned (default
`SECTION_MIN_EVENTS`), and `EXPORT_PDF_SECTION_WORKERS`, the most sections at once (default: the CPU count, at most
`MAX_WORKERS`).
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import io
import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

WEASYPRINT_SERIES = "70"  # the major version whose internals the hook was written against
HOOK_PARAMETERS = ("context", "page", "state")
SECTION_MIN_EVENTS = 600  # below this, one pass: forking and merging would cost more than they save
MAX_WORKERS = 4
SECTION_TIMEOUT = 1800  # seconds a worker may take to lay out its section

# write(html, attachments) -> the PDF of one section; called in the forked worker, so it need not be picklable.
Writer = Callable[[str, list], bytes]


class SectionError(Exception):
    pass


@dataclass(frozen=True)
class Section:
    html: str
    rows: int  # how many events it holds, for progress
    attachments: list  # the first section carries the PDF's attachments


def hook_refusal(*, version: str, signature: inspect.Signature | None) -> str:
    """Why the margin-box hook must not be installed on this WeasyPrint, or "" when it may be."""
    if not re.fullmatch(rf"{WEASYPRINT_SERIES}(\.\w+)*", version):
        return f"WeasyPrint {version} is not the {WEASYPRINT_SERIES}.x series the section hook was written for"
    if signature is None:
        return "weasyprint.layout.make_margin_boxes is missing"
    parameters = list(signature.parameters.values())
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if tuple(p.name for p in parameters) != HOOK_PARAMETERS or any(p.kind not in positional for p in parameters):
        return f"weasyprint.layout.make_margin_boxes{signature} is not ({', '.join(HOOK_PARAMETERS)})"
    return ""


@functools.cache
def installed_hook_refusal() -> str:
    """`hook_refusal` for the WeasyPrint installed here (read once: it does not change while the process runs)."""
    import weasyprint.layout

    hook = getattr(weasyprint.layout, "make_margin_boxes", None)
    try:
        signature = inspect.signature(hook) if hook is not None else None
    except (TypeError, ValueError):
        signature = None
    return hook_refusal(version=importlib.metadata.version("weasyprint"), signature=signature)


def section_workers(rows: int) -> int:
    """How many parallel sections to render: 1 (a single pass) unless the chronology is large and sectioning safe."""
    min_events = getattr(settings, "EXPORT_PDF_SECTION_MIN_EVENTS", SECTION_MIN_EVENTS)
    if rows < min_events:
        return 1
    if refusal := installed_hook_refusal():
        logger.warning("Rendering %d events in a single pass: %s", rows, refusal)
        return 1
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # forking a multi-threaded process can deadlock
    most = getattr(settings, "EXPORT_PDF_SECTION_WORKERS", None) or min(os.cpu_count() or 1, MAX_WORKERS)
    return max(1, min(most, rows // max(1, min_events // 2)))


def split_rows(rows: list, parts: int) -> list[list]:
    """`parts` slices of about equal size, each cut moved to a change of year when one is within a tenth of a slice."""
    size = len(rows) / parts
    cuts = [0]
    for k in range(1, parts):
        target = round(k * size)
        cut = _year_change_near(rows, target, window=int(size / 10), after=cuts[-1])
        cuts.append(cut if cut is not None else target)
    cuts.append(len(rows))
    return [rows[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _year_change_near(rows: list, target: int, *, window: int, after: int) -> int | None:
    for delta in range(window + 1):
        for i in (target - delta, target + delta):
            if after < i < len(rows) and rows[i].year != rows[i - 1].year:
                return i
    return None


def render_sections(sections: list[Section], *, write: Writer, progress: Callable[[int], None]) -> bytes:
    """The sections rendered in parallel (one forked worker each) and merged into one PDF; `progress(rows laid out)`
    as each section reports its page count. Raises SectionError when a worker fails or the merge comes out wrong."""
    context = multiprocessing.get_context("fork")
    channels, processes = [], []
    try:
        for section in sections:
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_worker, args=(child_end, section, write), daemon=True)
            process.start()
            child_end.close()
            channels.append(parent_end)
            processes.append(process)
        pages, done = [], 0
        for conn, section in zip(channels, sections, strict=True):
            pages.append(_receive(conn, expect="pages"))
            done += section.rows
            progress(done)
        offset = 0
        for conn, count in zip(channels, pages, strict=True):
            conn.send((offset, sum(pages)))
            offset += count
        parts = [_receive(conn, expect="pdf") for conn in channels]
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    return _merge(parts, expected_pages=sum(pages))


def _worker(conn, section: Section, write: Writer) -> None:
    """In a forked process: lay out one section, trade its page count for its global page numbers, write its PDF."""
    import weasyprint.layout

    original = weasyprint.layout.make_margin_boxes
    numbering = {}

    def numbered_margin_boxes(context, page, state):
        counters = state[1]
        if not numbering:
            conn.send(("pages", counters["pages"][0]))
            numbering.update(zip(("offset", "total"), conn.recv(), strict=True))
        counters["page"] = [counters["page"][0] + numbering["offset"]]
        counters["pages"] = [numbering["total"]]
        return original(context, page, state)

    try:
        weasyprint.layout.make_margin_boxes = numbered_margin_boxes
        conn.send(("pdf", write(section.html, section.attachments)))
    except BaseException as error:  # reported to the parent, which falls back to one pass
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def _receive(conn, *, expect: str):
    if not conn.poll(SECTION_TIMEOUT):
        raise SectionError("a section worker did not answer")
    try:
        kind, value = conn.recv()
    except EOFError:
        raise SectionError("a section worker died") from None
    if kind != expect:
        raise SectionError(f"a section worker failed: {value}")
    return value


def _merge(parts: list[bytes], *, expected_pages: int) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    if len(writer.pages) != expected_pages:
        raise SectionError(f"merged {len(writer.pages)} pages, expected {expected_pages}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
