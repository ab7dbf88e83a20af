"""Benchmark: the app at 10,000 and 100,000 events, against the same pages at 100 events, in the same run.

    .venv/bin/python bench/bench_scale.py [--sizes 10000 100000] [--database sqlite|postgres|both] [--repeat 5]
        [--pdf-size 10000] [--record "a note"]

Per database (a throwaway one: a temporary SQLite file; a PostgreSQL database on 127.0.0.1:5432, dropped after), a
matter of 100 events is imported first (the baseline), then one matter per size. Every measurement runs in its own
subprocess (harness.run_child), so its peak memory is its own:

  import       the N-row generated CSV (harness.generate) through evidence.importing, as `manage.py import_events`
               does: read, plan, write with history and the history chain; seconds and peak RSS
  timeline     the page /m/<slug>/ as an editor gets it (Django's test Client, logged in), the median of --repeat
               requests after one to warm up, and its query count; at N events and at 100 in the same process:
                 first page    no filter
                 date window   from 2024-01-01 to 2024-12-31
                 text search   q=plaintiff (a third of the titles)
                 search        q=spokesperson (300 events, or all of a smaller matter: a search that finds a few
                               hundred, whatever the size)
  CSV export   evidence.exporting.export_chronology(format="csv"); seconds and peak RSS
  PDF          at --pdf-size only (10,000): bench_pdf.compare on the imported matter, our export against bare
               WeasyPrint laying the same rows out as a plain table on the same page; seconds, the ratio, and peak
               memory as the largest sum of resident sets of the render and its section workers at one time (the
               target's figure; their PSS beside it)

Targets printed with PASS/MISS (not asserted anywhere: timings depend on the machine and its load): the PDF's peak
memory <= 1 GB; each timeline page's median <= 500 ms (the load test's page target); the timeline's query count the
same at N events as at 100. `--record` appends the run, with the machine and its load, to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import bench_pdf
import harness

SETTINGS = "casetimeline.test_settings"  # the real settings over plain HTTP, static files served from the finders
BASE = 100
EDITOR = "editor"
MARK = "spokesperson"
MARKED = 300
VARIANTS = {
    "first page": {},
    "date window": {"from": "2024-01-01", "to": "2024-12-31"},
    "text search": {"q": "plaintiff"},
    "search": {"q": MARK},
}
PAGE_TARGET_MS = 500
PDF_TARGET_MB = 1024


def slug_for(size: int) -> str:
    return f"scale-{size}"


# Children (each in its own process, after django.setup()) ---------------------------------------------------------


def setup_child() -> dict:
    harness.setup()
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(EDITOR, password=EDITOR)
    return {}


def import_child(slug: str, csv_path: Path) -> dict:
    from django.contrib.auth import get_user_model

    from evidence.importing import import_events, read_table
    from evidence.models import Role
    from evidence.services.matters import membership_set

    users = get_user_model().objects
    matter = harness.bench_matter(slug=slug, title=f"Scale v. {slug}", court="United States District Court, N.D. Cal.",
                                  case_number="5:25-cv-00001", parties="Scale, Plaintiff,\nv.\nBench, Defendant.",
                                  confidentiality_legend="CONFIDENTIAL — ATTORNEY WORK PRODUCT")  # fmt: skip
    owner = users.get(username=harness.USER)
    membership_set(matter=matter, user=owner, member=users.get(username=EDITOR), role=Role.EDITOR, reason="bench")
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = import_events(read_table(csv_path, name=csv_path.name), matter=matter, user=owner)
    seconds = time.perf_counter() - start
    if not result.plan.ok:
        raise SystemExit(f"import refused: {result.plan.errors[:5]}")
    return {"seconds": seconds, "idle_mb": idle / 1024, "detail": result.plan.summary()}


def pages_child(slugs: list[str], repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.http import QueryDict
    from django.test import Client
    from django.urls import reverse

    from evidence.forms.filters import TimelineFilterForm
    from evidence.models import Matter
    from evidence.selectors import events_for_timeline

    client = Client(HTTP_HOST="localhost")  # a host the settings allow, as a browser on the machine would send
    client.force_login(get_user_model().objects.get(username=EDITOR))
    figures = {}
    for name, params in VARIANTS.items():
        for slug in slugs:
            matter = Matter.objects.get(slug=slug)
            url = reverse("timeline", args=[slug])
            query = QueryDict(mutable=True)
            query.update(params)
            form = TimelineFilterForm(query, matter=matter)
            form.is_valid()
            hits = events_for_timeline(matter=matter, filters=form.to_filters()).count()
            figures[f"{name}|{slug}"] = {**harness.measure_page(client, url, params, repeat), "hits": hits}
    return figures


def csv_child(slug: str) -> dict:
    from django.contrib.auth import get_user_model

    from evidence.exporting import ExportOptions, export_chronology
    from evidence.models import Matter

    matter = Matter.objects.get(slug=slug)
    user = get_user_model().objects.get(username=EDITOR)
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = export_chronology(matter=matter, user=user, options=ExportOptions(format="csv"))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "idle_mb": idle / 1024, "bytes": len(result.content),
            "rows": result.content.count(b"\n") - 1}  # fmt: skip


# Parent -------------------------------------------------------------------------------------------------------------


def bench_database(kind: str, csvs: dict[int, Path], sizes: list[int], args, work: Path) -> dict:
    results = {"sizes": {}}
    with harness.database(kind, work, settings=SETTINGS) as env:

        def child(*child_args: str) -> dict:
            return harness.run_child(__file__, env, *child_args)

        child("--setup")
        results["base_import"] = child("--import", slug_for(BASE), "--csv", str(csvs[BASE]))
        for size in sizes:
            print(f"  {kind}: importing {size:,} events", file=sys.stderr, flush=True)
            figures = {"import": child("--import", slug_for(size), "--csv", str(csvs[size]))}
            print(f"  {kind}: timeline pages at {size:,} and {BASE}", file=sys.stderr, flush=True)
            pages = child("--pages", slug_for(BASE), slug_for(size), "--repeat", str(args.repeat))
            figures["pages"] = {name: (pages[f"{name}|{slug_for(BASE)}"], pages[f"{name}|{slug_for(size)}"])
                                for name in VARIANTS}  # fmt: skip
            figures["csv"] = child("--csv-export", slug_for(size))
            if size == args.pdf_size:
                print(f"  {kind}: PDF of {size:,} events", file=sys.stderr, flush=True)
                figures["pdf"] = bench_pdf.compare(env, work, slug=slug_for(size))
            results["sizes"][size] = figures
    return results


def report(kind: str, results: dict) -> tuple[list[str], list[tuple[str, bool]]]:
    """The table of one database, and its targets (what, met)."""
    lines, targets = [f"{kind}:", ""], []
    base = results["base_import"]
    lines += [
        "| events | measurement | figure | at 100 events | ratio | queries (100 / N) | page KB (100 / N) | "
        "events found (N) | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {BASE} | import | {base['seconds']:.2f} s | | | | | {base['detail']} | {base['peak_mb']:.0f} MB |",
    ]
    for size, f in results["sizes"].items():
        imp, csv = f["import"], f["csv"]
        lines.append(f"| {size:,} | import | {imp['seconds']:.2f} s | | | | | {imp['detail']} | "
                     f"{imp['peak_mb']:.0f} MB (idle {imp['idle_mb']:.0f}) |")  # fmt: skip
        for name, (at_base, at_n) in f["pages"].items():
            ratio = at_n["ms"] / at_base["ms"]
            lines.append(f"| {size:,} | timeline: {name} | {at_n['ms']:,.0f} ms | {at_base['ms']:,.0f} ms | "
                         f"{ratio:.1f} | {at_base['queries']} / {at_n['queries']} | "
                         f"{at_base['kb']:,.0f} / {at_n['kb']:,.0f} | {at_n['hits']:,} | |")  # fmt: skip
            targets.append((f"{kind} {size:,}: timeline {name} median <= {PAGE_TARGET_MS} ms ({at_n['ms']:,.0f} ms)",
                            at_n["ms"] <= PAGE_TARGET_MS))  # fmt: skip
            targets.append((f"{kind} {size:,}: timeline {name} queries at N = at 100 ({at_base['queries']} / "
                            f"{at_n['queries']})", at_n["queries"] == at_base["queries"]))  # fmt: skip
        lines.append(f"| {size:,} | CSV export | {csv['seconds']:.2f} s | | | | | {csv['rows']:,} rows, "
                     f"{csv['bytes'] / 1024 / 1024:.1f} MB | "
                     f"{csv['peak_mb']:.0f} MB (idle {csv['idle_mb']:.0f}) |")  # fmt: skip
        if "pdf" in f:
            bare, ours = f["pdf"]["bare"], f["pdf"]["ours"]
            ratio = ours["seconds"] / bare["seconds"]
            sections = f"{ours['sections']} sections" if ours.get("sections", 1) > 1 else "one pass"
            lines.append(f"| {size:,} | PDF: bare WeasyPrint | {bare['seconds']:.1f} s | | 1.00 | | | "
                         f"{bare['pages']:,} pages | {bare['tree_peak_mb']:.0f} MB |")  # fmt: skip
            lines.append(f"| {size:,} | PDF: ours ({sections}) | {ours['seconds']:.1f} s | | {ratio:.2f} x bare | | | "
                         f"{ours['pages']:,} pages | {ours['tree_peak_mb']:.0f} MB in all (PSS "
                         f"{ours['tree_pss_mb']:.0f} MB); largest process {ours['peak_mb']:.0f} MB |")  # fmt: skip
            targets.append((f"{kind} {size:,}: PDF peak memory <= {PDF_TARGET_MB / 1024:.0f} GB "
                            f"({ours['tree_peak_mb']:.0f} MB)", ours["tree_peak_mb"] <= PDF_TARGET_MB))  # fmt: skip
    return lines, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests per page (the median is kept).")
    parser.add_argument("--pdf-size", type=int, default=10_000, help="The size at which the PDF is measured.")
    parser.add_argument("--record", metavar="NOTE", nargs="?", const="",
                        help="Append the run to bench/RESULTS.md, with an optional note.")  # fmt: skip
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import", dest="import_slug", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--pages", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--csv-export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup or args.import_slug or args.pages or args.csv_export:
        import django

        django.setup()
        if args.setup:
            result = setup_child()
        elif args.import_slug:
            result = import_child(args.import_slug, Path(args.csv))
        elif args.pages:
            result = pages_child(args.pages, args.repeat)
        else:
            result = csv_child(args.csv_export)
        print(json.dumps(result))
        return

    command = shlex.join([".venv/bin/python", "bench/bench_scale.py", *sys.argv[1:]])
    before = harness.machine()
    work = Path(tempfile.mkdtemp(prefix="ct-bench-scale-"))
    try:
        csvs = {}
        for size in sorted({BASE, *args.sizes}):
            csvs[size] = work / f"chronology-{size}.csv"
            harness.generate(csvs[size], size, marked=MARKED, mark=MARK)
        print(f"{before}\nPython {sys.version.split()[0]}; sizes {', '.join(f'{s:,}' for s in args.sizes)}; "
              f"timeline: median of {args.repeat} requests\n")  # fmt: skip
        tables, targets = harness.each_database(
            args.database, lambda kind: report(kind, bench_database(kind, csvs, args.sizes, args, work))
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    harness.conclude(title=f"bench_scale.py: {' and '.join(f'{s:,}' for s in args.sizes)} events", command=command,
                     before=before, note=args.record, tables=tables, targets=targets)  # fmt: skip


if __name__ == "__main__":
    main()
