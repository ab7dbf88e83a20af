"""Benchmark: the chronology PDF export against bare WeasyPrint rendering a same-size plain table, in the same run.

    .venv/bin/python bench/bench_pdf.py [--sizes 1000 5000] [--repeat 1] [--one-pass]

For each size, a throwaway SQLite database (in a temporary folder) gets a matter with N events (bulk_create: setup is
not measured). Each measurement runs in a fresh subprocess, so its peak memory is its own (harness.run_child: the
child's ru_maxrss from os.wait4, and the sampled sum over the child and the section workers it forks):

* ours: `export_chronology(format="pdf")`, end to end: the queries, the HTML, the SVG timeline, the layout, the
  PDF/A-3b file. Large chronologies are rendered by sections in parallel (see evidence.exporting.sectioned).
* bare: WeasyPrint alone, on a plain 4-column HTML table holding the same text (No., date, title + description,
  citation), on the same page (letter, 1-inch margins, 11 pt serif), same PDF/A-3b variant, no other style.

Prints seconds, pages, peak MB (the largest single process), tree MB (the largest sum over the process and its
workers at one time) and the ratio ours / bare. Not a test: timings depend on the machine and its load.
`compare` measures the same on any matter of any database (bench_scale.py calls it on an imported matter).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import harness

SETTINGS = "casetimeline.test_settings"
SLUG = "bench"


WORDS = [
    "policy", "setting", "notice", "consent", "member", "data", "training", "privacy", "opt-out", "change", "email",
    "complaint", "statement", "user", "platform", "regional", "alleged", "disclosure", "model", "third-party",
    "partner", "share", "account", "premium", "message",
]  # fmt: skip


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def populate(n: int) -> None:
    """A matter with n events over six years, at mixed precisions, with actors, issues and citations."""
    from django.contrib.auth import get_user_model

    from evidence import dates
    from evidence.models import Actor, Citation, Document, Event, EventKind, EventStatus, Issue
    from evidence.services.documents import document_intake
    from evidence.services.matters import matter_create

    harness.setup()
    rng = random.Random(n)
    user = get_user_model().objects.get(username=harness.USER)
    matter = matter_create(
        user=user, slug=SLUG, short_title="Bench v. Mark", court="United States District Court, N.D. Cal.",
        case_number="5:25-cv-00001", parties="Bench, Plaintiff,\nv.\nMark, Defendant.",
        confidentiality_legend="CONFIDENTIAL — ATTORNEY WORK PRODUCT", time_zone="America/Los_Angeles",
    )  # fmt: skip
    import io

    docs = [
        document_intake(matter=matter, user=user, file=io.BytesIO(f"exhibit {i}".encode()),
                                 filename=f"exhibit-{i}.txt", title=f"Exhibit document {i}", reason="bench").document
        for i in range(20)
    ]  # fmt: skip
    actors = [Actor.objects.create(matter=matter, name=f"Actor {i}") for i in range(8)]
    issues = [Issue.objects.create(matter=matter, name=f"issue-{i}") for i in range(6)]
    kinds, statuses = EventKind.values, EventStatus.values
    events = []
    for i in range(n):
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        form = rng.random()
        text = (f"{year}" if form < 0.1 else f"{year}-{month:02d}" if form < 0.35 else f"{year}-{month:02d}-{day:02d}"
                if form < 0.9 else f"{year}-{month:02d}-{day:02d} 09:30 PST")  # fmt: skip
        event = Event(
            matter=matter, title=_sentence(rng, rng.randint(5, 12)),
            description=" ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(1, 3))),
            kind=rng.choice(kinds), status=rng.choice(statuses), is_key=rng.random() < 0.08, order=i, number=i + 1,
            source_note=f"Complaint ¶ {rng.randint(1, 90)}" if rng.random() < 0.3 else "",
        )  # fmt: skip
        event.date = matter.read_date(dates.parse(text))
        events.append(event)
    Event.objects.bulk_create(events, batch_size=500)
    actor_link = Event.actors.through
    actor_link.objects.bulk_create([actor_link(event=e, actor=rng.choice(actors)) for e in events], batch_size=1000)
    issue_link = Event.issues.through
    issue_link.objects.bulk_create([issue_link(event=e, issue=rng.choice(issues)) for e in events], batch_size=1000)
    citations = []
    for e in events:
        for doc in rng.sample(docs, rng.randint(1, 2)):
            citations.append(Citation(event=e, document=doc, pinpoint=f"p. {rng.randint(1, 40)}"))
    Citation.objects.bulk_create(citations, batch_size=1000)
    assert Document.objects.count() == 20


def child(kind: str, out: Path, slug: str) -> dict:
    from evidence.exporting import ExportOptions, export_chronology
    from evidence.models import Matter

    matter = Matter.objects.get(slug=slug)
    user = matter.memberships.first().user
    extra = {}
    if kind in ("ours", "ours-1pass"):
        from django.conf import settings

        if kind == "ours-1pass":
            settings.EXPORT_PDF_SECTION_MIN_EVENTS = 10**9  # one WeasyPrint pass, as on a one-core machine

        start = time.perf_counter()
        result = export_chronology(matter=matter, user=user, options=ExportOptions(format="pdf"))
        seconds = time.perf_counter() - start
        content = result.content
        extra["sections"] = result.sections  # the path the export took, not the one it should have
    else:
        from django.utils.html import escape
        from weasyprint import HTML

        from evidence.selectors import TimelineFilters, events_for_timeline

        rows = []
        for no, e in enumerate(
            events_for_timeline(matter=matter, filters=TimelineFilters(include_privileged=False)), 1
        ):
            source = "; ".join(c.label for c in e.citations.all())
            rows.append(f"<tr><td>{no}</td><td>{escape(e.date.display())}</td><td>{escape(e.title)}<br>"
                        f"{escape(e.description)}</td><td>{escape(source)}</td></tr>")  # fmt: skip
        # The same page as ours (letter, 1-inch margins, 11 pt serif): the court format fixes the page, so the
        # baseline lays the same text out on it, with nothing else.
        html = ("<html><head><style>@page { size: letter; margin: 1in } html { font: 11pt serif }</style></head>"
                "<body><table><thead><tr><th>No.</th><th>Date</th><th>Event</th><th>Source</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></body></html>")  # fmt: skip
        start = time.perf_counter()
        content = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
        seconds = time.perf_counter() - start
    out.write_bytes(content)
    import pypdf

    return {"seconds": seconds, "pages": len(pypdf.PdfReader(str(out)).pages), "bytes": len(content), **extra}


def compare(env: dict, work: Path, *, slug: str = SLUG, one_pass: bool = False, repeat: int = 1) -> dict[str, dict]:
    """Bare WeasyPrint, then our export (and our export in one pass), on the matter `slug` of the database that `env`
    names; each the fastest of `repeat` runs, each run in its own subprocess."""
    kinds = ("bare", "ours", "ours-1pass") if one_pass else ("bare", "ours")
    best = {}
    for kind in kinds:
        out = work / f"{slug}-{kind}.pdf"
        runs = [
            harness.run_child(__file__, env, "--child", kind, "--slug", slug, "--out", str(out)) for _ in range(repeat)
        ]
        best[kind] = min(runs, key=lambda r: r["seconds"])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=1, help="Runs per measurement; the fastest is kept.")
    parser.add_argument("--one-pass", action="store_true", help="Also measure our export in a single pass.")
    parser.add_argument("--child", choices=["ours", "ours-1pass", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--slug", default=SLUG, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.populate or args.child:
        import django

        django.setup()
    if args.populate:
        return populate(args.populate)
    if args.child:
        print(json.dumps(child(args.child, Path(args.out), args.slug)))
        return None

    print(f"{'events':>7} {'what':<10} {'seconds':>8} {'pages':>6} {'peak MB':>8} {'tree MB':>8} {'ratio':>6}")
    for size in args.sizes:
        with (
            tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp,
            harness.database("sqlite", Path(tmp), settings=SETTINGS) as env,
        ):
            harness.run_child(__file__, env, "--populate", str(size))
            best = compare(env, Path(tmp), one_pass=args.one_pass, repeat=args.repeat)
            for kind, result in best.items():
                print_row(size, kind, result, ratio=result["seconds"] / best["bare"]["seconds"])
    return None


def print_row(size: int, kind: str, r: dict, *, ratio: float) -> None:
    extra = f"  ({r['sections']} sections)" if r.get("sections", 1) > 1 else ""
    figures = f"{r['seconds']:>8.2f} {r['pages']:>6} {r['peak_mb']:>8.0f} {r['tree_peak_mb']:>8.0f} {ratio:>6.2f}"
    print(f"{size:>7} {kind:<10} {figures}{extra}", flush=True)


if __name__ == "__main__":
    main()
