"""Large chronologies rendered in sections, in worker processes, with "Page X of Y" right across them.

The rows are cut into sections of at most `SECTION_ROWS` (and at least one per worker), at a change of year where one
is near (`split_rows`). The caller writes each section's HTML without the page number in the footer; the sections
are laid out by at most `section_workers` processes at a time, each process rendering one section to a PDF file and
exiting, so that memory is bounded by a few sections' layouts whatever the chronology's size. Once every section's
page count is known, the last worker numbers the pages, "Page X of Y", as a single pass would, and merges the parts
(evidence/section_worker.py).

The workers are forked from multiprocessing's fork server, a process that loads only evidence/section_worker.py:
they do not copy the requester's memory (the chronology, the app), and a requester with threads (gunicorn's, a job
runner's) may start them safely.

Memory, measured at 10,000 events (bench/bench_pdf.py): the requester (the app and the chronology, about 0.3 GB),
the fork server (about 80 MB) and each worker (about 80 MB shared with the server, and 0.2 MB a row of its section).

Settings (optional): `EXPORT_PDF_SECTION_MIN_EVENTS`, the size from which a chronology is sectioned (default
`SECTION_MIN_EVENTS`), `EXPORT_PDF_SECTION_ROWS`, the most events in a section (default `SECTION_ROWS`), and
`EXPORT_PDF_SECTION_WORKERS`, the most sections laid out at once (default: the CPU count, at most `MAX_WORKERS`,
which keeps a chronology of 10,000 events under 1 GB in all; each more worker costs about 0.3 GB and saves time on a
host with the cores).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from evidence import section_worker

logger = logging.getLogger(__name__)

SECTION_MIN_EVENTS = 600  # below this, one pass: starting workers and merging would cost more than they save
SECTION_ROWS = 1000  # a section's layout takes about 0.15 MB a row in a worker
MAX_WORKERS = 2
SECTION_TIMEOUT = 1800  # seconds a worker may take to lay out its section


class SectionError(Exception):
    pass


@dataclass(frozen=True)
class Section:
    html: str  # the section's HTML, its footer without the page number
    rows: int  # how many events it holds, for progress


def section_workers(rows: int) -> int:
    """How many sections to lay out at once: 1 (a single pass, no workers) unless the chronology is large."""
    min_events = getattr(settings, "EXPORT_PDF_SECTION_MIN_EVENTS", SECTION_MIN_EVENTS)
    if rows < min_events or "forkserver" not in multiprocessing.get_all_start_methods():
        return 1
    most = getattr(settings, "EXPORT_PDF_SECTION_WORKERS", None) or min(os.cpu_count() or 1, MAX_WORKERS)
    return max(1, min(most, rows // max(1, min_events // 2)))


def section_count(rows: int, workers: int) -> int:
    """How many sections `rows` events are cut into: at least one per worker, at most SECTION_ROWS events each."""
    per_section = getattr(settings, "EXPORT_PDF_SECTION_ROWS", SECTION_ROWS)
    return max(workers, math.ceil(rows / per_section))


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


@dataclass(frozen=True)
class Rendered:
    content: bytes
    sections: int
    refused: tuple[str, ...]  # URLs the workers' fetchers refused


def render_sections(
    sections: Iterable[Section],
    *,
    attachments: list[tuple[bytes, str, str, str]],
    numbers_html: Callable[[int], str],
    base_url: str,
    roots: list[Path],
    workers: int,
    progress: Callable[[int], None],
) -> Rendered:
    """The sections (each one's HTML taken when it is written to disk, so that one at a time is held here) rendered
    by `workers` processes and merged into one PDF, the first section carrying `attachments` (content, name,
    description, relationship); `numbers_html(pages)` is a document of that many blank pages printing only the page
    number. `progress(rows laid out)` as sections finish. Raises SectionError when a worker fails or dies."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["evidence.section_worker"])
    common = {"base_url": base_url, "roots": [str(r) for r in roots]}
    with tempfile.TemporaryDirectory(prefix="ct-pdf-") as tmp:
        work = Path(tmp)
        files = []
        for i, (content, name, description, relationship) in enumerate(attachments):
            path = work / f"attachment-{i}"
            path.write_bytes(content)
            files.append(section_worker.AttachmentFile(str(path), name, description, relationship))
        jobs, rows = [], []
        for i, section in enumerate(sections):
            html = work / f"section-{i}.html"
            html.write_text(section.html, encoding="utf-8")
            jobs.append((section_worker.render_section, (str(html), str(work / f"section-{i}.pdf")),
                         {**common, "attachments": files if i == 0 else []}))  # fmt: skip
            rows.append(section.rows)
        done = 0

        def laid_out(i: int) -> None:
            nonlocal done
            done += rows[i]
            progress(done)

        parts = _run(context, jobs, workers=workers, finished=laid_out)
        pages = sum(part.pages for part in parts)
        out = work / "chronology.pdf"
        [merged] = _run(
            context,
            [(section_worker.finish, ([job[1][1] for job in jobs], numbers_html(pages), str(out)), common)],
            workers=1,
            finished=lambda i: None,
        )
        if merged.pages != pages:
            raise SectionError(f"merged {merged.pages} pages, expected {pages}")
        refused = tuple(url for part in [*parts, merged] for url in part.refused)
        return Rendered(out.read_bytes(), sections=len(jobs), refused=refused)


def _run(context, jobs: list[tuple], *, workers: int, finished: Callable[[int], None]) -> list:
    """Each job (function, args, kwargs) in a process of its own, at most `workers` at a time; their results in
    order. `finished(i)` as job i returns. Raises SectionError at the first failure, killing the rest."""
    pending = deque(enumerate(jobs))
    running: dict = {}  # the reading end of a worker's pipe: (job index, process)
    results: list = [None] * len(jobs)
    try:
        while pending or running:
            while pending and len(running) < workers:
                i, (function, args, kwargs) = pending.popleft()
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=section_worker.call, args=(writer, function, args, kwargs),
                                          daemon=True)  # fmt: skip
                process.start()
                writer.close()
                running[reader] = (i, process)
            ready = multiprocessing.connection.wait(list(running), timeout=SECTION_TIMEOUT)
            if not ready:
                raise SectionError(f"a section worker did not answer within {SECTION_TIMEOUT} s")
            for reader in ready:
                i, process = running.pop(reader)
                try:
                    kind, value = reader.recv()
                except EOFError:
                    kind, value = "died", "it ended without an answer"
                finally:
                    reader.close()
                process.join(5)
                if kind == "died":
                    raise SectionError(f"a section worker died (exit code {process.exitcode})")
                if kind != "ok":
                    raise SectionError(f"a section worker failed: {value}")
                results[i] = value
                finished(i)
    finally:
        for reader, (_, process) in running.items():
            process.kill()
            process.join(5)
            reader.close()
    return results
