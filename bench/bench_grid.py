"""Benchmark: the timeline grid of a 10,000-event matter against the same page of a 100-event matter, in the same run.

    .venv/bin/python bench/bench_grid.py [--size 10000] [--database sqlite|postgres|both] [--repeat 7]

Per database (a throwaway one, as bench_scale.py makes it), the generated chronology (harness.generate) is imported at
100 events (the baseline) and at --size, through bench_scale.py's own children. Then, in one process, logged in as an
editor with Django's test Client, each page is requested once to warm up and --repeat times timed (the median kept),
with its query count:

  grid            /m/<slug>/ as a paralegal opens it: the first 100 rows in the chronology's order
  grid, -date     the same, latest first
  grid, title     sorted by title
  grid, issues    sorted by each event's first issue
  visual          /m/<slug>/visual, the visual timeline of every filtered event, which the page fetches apart when
                  its panel is open (it draws every event, so it grows with the matter; shown for the record)
  documents       /m/<slug>/documents/, the documents grid's first 100 rows by exhibit number, in a matter with as many
                  documents as events (rows made directly, without files: the page never opens a file), a third of
                  them cited by one to three events
  documents, ...  the same sorted by date (the chronology's sort key), largest first, and most cited first

Targets printed with PASS/MISS (not asserted anywhere: timings depend on the machine and its load): the grid and the
documents grid at --size within 1.5 × their time at 100, with the same query count. tests/views/test_events.py and
tests/views/test_grid.py pin the query count.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import harness

SCALE = Path(__file__).resolve().parent / "bench_scale.py"
EDITOR = "editor"
BASE = 100
RATIO_TARGET = 1.5
PAGES = {
    "grid": ("timeline", {}),
    "grid, -date": ("timeline", {"sort": "-date"}),
    "grid, title": ("timeline", {"sort": "title"}),
    "grid, issues": ("timeline", {"sort": "issues"}),
    "visual": ("visual_timeline", {}),
    "documents": ("document_list", {}),
    "documents, date": ("document_list", {"sort": "date"}),
    "documents, -size": ("document_list", {"sort": "-size"}),
    "documents, -cited": ("document_list", {"sort": "-cited"}),
}
# What the targets hold to: the pages of the first rows (the visual timeline draws every event, by design).
PAGED = ("grid", "documents")


def documents_child(slug: str, count: int) -> dict:
    """Documents in the matter up to `count`, as intake would have numbered and dated them, a third cited by 1-3
    events."""
    import datetime as dt
    import hashlib

    from evidence import dates
    from evidence.models import Citation, Document, Event, Matter

    matter = Matter.objects.get(slug=slug)
    events = list(Event.objects.filter(matter=matter).order_by("pk").values_list("pk", flat=True))
    have = Document.objects.filter(matter=matter).count()  # the exhibits the import made, if any
    rows = []
    for n in range(have + 1, count + 1):
        digest = hashlib.sha256(f"{slug}-{n}".encode()).hexdigest()
        doc = Document(matter=matter, title=f"Bench exhibit {n}", file=f"evidence/bench/{digest}",
                       original_filename=f"exhibit-{n}.pdf", sha256=digest, size=1000 + (n * 7919) % 500_000,
                       media_type="application/pdf" if n % 4 else "message/rfc822", exhibit_number=n,
                       author=f"Custodian {n % 37}", page_count=1 + n % 40)  # fmt: skip
        if n % 5:
            day = dt.date(2020, 1, 1) + dt.timedelta(days=(n * 37) % 1800)
            doc.date = dates.parse(day.strftime("%b %Y") if n % 3 == 0 else day.isoformat())
        rows.append(doc)
    Document.objects.bulk_create(rows, batch_size=500)
    ids = list(Document.objects.filter(matter=matter).order_by("exhibit_number").values_list("pk", flat=True))
    citations = [Citation(event_id=events[(i * 13 + k) % len(events)], document_id=pk, pinpoint=f"p. {k + 1}")
                 for i, pk in enumerate(ids) if i % 3 == 0 for k in range(1 + i % 3)]  # fmt: skip
    Citation.objects.bulk_create(citations, batch_size=500, ignore_conflicts=True)
    return {"documents": len(ids), "citations": len(citations)}


def pages_child(slugs: list[str], repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=EDITOR))
    figures = {}
    for name, (view, params) in PAGES.items():
        for slug in slugs:
            url = reverse(view, args=[slug])
            figures[f"{name}|{slug}"] = harness.measure_page(client, url, params, repeat)
    return figures


def run(kind: str, size: int, repeat: int, work: Path) -> list[tuple[str, bool]]:
    slugs = {BASE: f"scale-{BASE}", size: f"scale-{size}"}
    with harness.database(kind, work, settings="casetimeline.test_settings") as env:
        harness.run_child(SCALE, env, "--setup")
        for n, slug in slugs.items():
            csv = work / f"chronology-{n}.csv"
            if not csv.exists():
                harness.generate(csv, n)
            harness.run_child(SCALE, env, "--import", slug, "--csv", str(csv))
            harness.run_child(Path(__file__), env, "--documents", slug, str(n))
        figures = harness.run_child(Path(__file__), env, "--pages", *slugs.values(), "--repeat", str(repeat))
    print(f"{kind}: median of {repeat} requests")
    print(f"{'page':<14} {'100 events':>16} {f'{size:,} events':>18} {'ratio':>7}")
    targets = []
    for name in PAGES:
        small, large = figures[f"{name}|{slugs[BASE]}"], figures[f"{name}|{slugs[size]}"]
        ratio = large["ms"] / small["ms"]
        print(f"{name:<14} {small['ms']:8.1f} ms {small['queries']:3d} q {large['ms']:9.1f} ms {large['queries']:3d} q "
              f"{ratio:6.2f}×")  # fmt: skip
        if name.startswith(PAGED):
            rows = "documents" if name.startswith("documents") else "events"
            targets.append((f"{kind}: {name} at {size:,} {rows} ≤ {RATIO_TARGET} × its time at {BASE} "
                            f"({ratio:.2f}×)", ratio <= RATIO_TARGET))  # fmt: skip
            same = large["queries"] == small["queries"]
            targets.append((f"{kind}: {name} query count the same at {size:,} as at {BASE} "
                            f"({large['queries']} vs {small['queries']})", same))  # fmt: skip
    print()
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pages", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--documents", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.documents:
        import django

        django.setup()
        print(json.dumps(documents_child(args.documents[0], int(args.documents[1]))))
        return
    if args.pages:
        import django

        django.setup()
        print(json.dumps(pages_child(args.pages, args.repeat)))
        return
    print(f"{harness.machine()}\nPython {sys.version.split()[0]}\n")
    targets = []
    with tempfile.TemporaryDirectory(prefix="ct-bench-grid-") as work:
        for kind in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
            targets += run(kind, args.size, args.repeat, Path(work))
    for what, ok in targets:
        print(f"{'PASS' if ok else 'MISS'}  {what}")
    print(f"\n{harness.machine()}")


if __name__ == "__main__":
    main()
