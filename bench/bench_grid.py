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

Targets printed with PASS/MISS (not asserted anywhere: timings depend on the machine and its load): the grid at
--size within 1.5 × its time at 100 events, with the same query count. tests/views/test_events.py and
tests/views/test_grid.py pin the query count.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
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
}


def pages_child(slugs: list[str], repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=EDITOR))
    figures = {}
    for name, (view, params) in PAGES.items():
        for slug in slugs:
            url = reverse(view, args=[slug])
            with CaptureQueriesContext(connection) as queries:
                size = _get(client, url, params)
            count = len(queries)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                _get(client, url, params)
                times.append((time.perf_counter() - start) * 1000)
            figures[f"{name}|{slug}"] = {"ms": statistics.median(times), "queries": count, "kb": size / 1024}
    return figures


def _get(client, url: str, params: dict) -> int:
    response = client.get(url, params)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} {params}: {response.status_code}")
    return len(response.content)


def run(kind: str, size: int, repeat: int, work: Path) -> list[tuple[str, bool]]:
    slugs = {BASE: f"scale-{BASE}", size: f"scale-{size}"}
    with harness.database(kind, work, settings="casetimeline.test_settings") as env:
        harness.run_child(SCALE, env, "--setup")
        for n, slug in slugs.items():
            csv = work / f"chronology-{n}.csv"
            if not csv.exists():
                harness.generate(csv, n)
            harness.run_child(SCALE, env, "--import", slug, "--csv", str(csv))
        figures = harness.run_child(Path(__file__), env, "--pages", *slugs.values(), "--repeat", str(repeat))
    print(f"{kind}: median of {repeat} requests")
    print(f"{'page':<14} {'100 events':>16} {f'{size:,} events':>18} {'ratio':>7}")
    targets = []
    for name in PAGES:
        small, large = figures[f"{name}|{slugs[BASE]}"], figures[f"{name}|{slugs[size]}"]
        ratio = large["ms"] / small["ms"]
        print(f"{name:<14} {small['ms']:8.1f} ms {small['queries']:3d} q {large['ms']:9.1f} ms {large['queries']:3d} q "
              f"{ratio:6.2f}×")  # fmt: skip
        if name.startswith("grid"):
            targets.append((f"{kind}: {name} at {size:,} events ≤ {RATIO_TARGET} × its time at {BASE} "
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
    args = parser.parse_args()
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
