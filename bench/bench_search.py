"""Benchmark: the timeline's search over 10,000 events and 1,000 documents, against the plain timeline's first page of
the same matter, in the same run.

    .venv/bin/python bench/bench_search.py [--events 10000] [--documents 1000] [--database sqlite|postgres|both]
        [--repeat 5] [--record "a note"]

Per database (a throwaway one, harness.database), the matter is made as bench_scale makes it (its generated CSV
imported through evidence.importing, the bench user's 20 exhibits), then given documents up to --documents: text
files of about 3 pages each (the pages split by form feeds, as a PDF's text is), each with a Bates range, cited by
one to three events, a few of them holding the rare word "zeppelin". Then, in one process, each page is requested as
an editor (Django's test Client) once to warm up and --repeat times timed; the median is kept:

  plain timeline      /m/<slug>/, no filter: the baseline
  search: ...         /m/<slug>/?q=..., ranked, with snippets: words in many events, words only in documents, a
                      phrase, AND/OR/NOT, a prefix, an exhibit label, a Bates number inside a range
  documents: ...      the documents page, plain and searched

Target printed with PASS/MISS (never asserted: timings depend on the machine and its load): every search within
1.5 x the plain timeline's first page. `--record` appends the run, with the machine's load, to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import bench_scale
import harness

SLUG = "search-bench"
RARE = "zeppelin"
SEARCHES = {
    "a word in 300 events": {"q": bench_scale.MARK},
    "common words (most events)": {"q": "consent policy"},
    "a word only in documents": {"q": RARE},
    "a phrase": {"q": '"did something notable"'},
    "AND / OR / NOT": {"q": "(plaintiff OR counsel) AND notice NOT linkedin"},
    "a prefix": {"q": "spokes*"},
    "an exhibit label": {"q": "PX-7"},
    "a Bates number in a range": {"q": "BEN-004005"},
}
DOCUMENT_PAGES = {"documents: all": {}, "documents: search": {"q": f"{RARE} OR lorem"}}
TARGET = 1.5


# Children ----------------------------------------------------------------------------------------------------------


def documents_child(slug: str, total: int) -> dict:
    """Documents up to `total` in the matter, with text, Bates ranges and citations (bulk, for speed: the search reads
    rows, and how they were written does not matter to it; the text is written as the background reader writes it)."""
    import io

    from django.contrib.auth import get_user_model

    from evidence.models import Citation, Document, Event, Matter
    from evidence.services.documents import document_intake

    rnd = random.Random(11)
    matter = Matter.objects.get(slug=slug)
    user = get_user_model().objects.get(username=harness.USER)
    events = list(Event.objects.filter(matter=matter).values_list("pk", flat=True))
    start = time.perf_counter()
    existing = Document.objects.filter(matter=matter).count()
    citations = []
    for i in range(existing, total):
        pages = []
        for _ in range(3):
            words = [rnd.choice(harness.WORDS + ["exhibit", "page", "letter", "email"]) for _ in range(400)]
            if i % 100 == 0:
                words.insert(rnd.randrange(len(words)), RARE)
            pages.append(" ".join(words))
        document = document_intake(matter=matter, user=user, file=io.BytesIO(f"document {i} {slug}".encode()),
                                   filename=f"doc{i}.txt", reason="bench", bates_start=f"BEN-{i * 5:06d}",
                                   bates_end=f"BEN-{i * 5 + 4:06d}").document  # fmt: skip
        Document.objects.filter(pk=document.pk).update(extracted_text="\n\f".join(pages))
        for event in rnd.sample(events, rnd.randint(1, 3)):
            citations.append(Citation(event_id=event, document=document, pinpoint=f"p. {rnd.randint(1, 3)}"))
    Citation.objects.bulk_create(citations, ignore_conflicts=True)
    return {"seconds": time.perf_counter() - start, "documents": Document.objects.filter(matter=matter).count(),
            "citations": Citation.objects.filter(document__matter=matter).count()}  # fmt: skip


def pages_child(slug: str, repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from evidence import search
    from evidence.models import Document, Event, Matter

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=bench_scale.EDITOR))
    matter = Matter.objects.get(slug=slug)
    figures = {}
    pages = [("plain timeline", "timeline", {})]
    pages += [(f"search: {name}", "timeline", params) for name, params in SEARCHES.items()]
    pages += [(name, "document_list", params) for name, params in DOCUMENT_PAGES.items()]
    for name, view, params in pages:
        url = reverse(view, args=[slug])
        query = search.parse(params.get("q", ""))
        if view == "timeline":
            events = Event.objects.filter(matter=matter, deleted_at__isnull=True)
            hits = search.filter_events(events, matter=matter, query=query).count()
        else:
            documents = Document.objects.filter(matter=matter, deleted_at__isnull=True)
            hits = search.filter_documents(documents, matter=matter, query=query).count()
        figures[name] = {**harness.measure_page(client, url, params, repeat), "hits": hits, "params": params}
    return figures


# Parent -------------------------------------------------------------------------------------------------------------


def bench_database(kind: str, csv: Path, args, work: Path) -> dict:
    with harness.database(kind, work, settings=bench_scale.SETTINGS) as env:

        def child(*child_args: str) -> dict:
            return harness.run_child(__file__, env, *child_args)

        child("--setup")
        print(f"  {kind}: importing {args.events:,} events", file=sys.stderr, flush=True)
        made = {"import": child("--import", SLUG, "--csv", str(csv))}
        print(f"  {kind}: {args.documents:,} documents", file=sys.stderr, flush=True)
        made["documents"] = child("--make-documents", SLUG, "--total", str(args.documents))
        print(f"  {kind}: pages", file=sys.stderr, flush=True)
        made["pages"] = child("--pages", SLUG, "--repeat", str(args.repeat))
    return made


def report(kind: str, made: dict) -> tuple[list[str], list[tuple[str, bool]]]:
    pages = {name: figure for name, figure in made["pages"].items() if isinstance(figure, dict)}  # not peak_mb...
    base = pages["plain timeline"]
    docs = made["documents"]
    lines = [f"{kind}: {docs['documents']:,} documents, {docs['citations']:,} citations "
             f"(documents made in {docs['seconds']:.0f} s)", "",
             "| page | query | median | ratio to the plain timeline | queries | events (documents) found | page KB |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    targets = []
    for name, figure in pages.items():
        ratio = figure["ms"] / base["ms"]
        query = figure["params"].get("q", "")
        lines.append(f"| {name} | `{query}` | {figure['ms']:,.0f} ms | {ratio:.2f} | {figure['queries']} | "
                     f"{figure['hits']:,} | {figure['kb']:,.0f} |")  # fmt: skip
        if name.startswith("search"):
            targets.append((f"{kind}: {name} within {TARGET} x the plain timeline ({ratio:.2f})", ratio <= TARGET))
    return lines, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=1_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests per page (the median is kept).")
    parser.add_argument("--record", metavar="NOTE", nargs="?", const="",
                        help="Append the run to bench/RESULTS.md, with an optional note.")  # fmt: skip
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import", dest="import_slug", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--make-documents", dest="documents_slug", help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup or args.import_slug or args.pages or args.documents_slug:
        import django

        django.setup()
        if args.setup:
            result = bench_scale.setup_child()
        elif args.import_slug:
            result = bench_scale.import_child(args.import_slug, Path(args.csv))
        elif args.documents_slug:
            result = documents_child(args.documents_slug, args.total)
        else:
            result = pages_child(args.pages, args.repeat)
        print(json.dumps(result))
        return

    command = shlex.join([".venv/bin/python", "bench/bench_search.py", *sys.argv[1:]])
    before = harness.machine()
    work = Path(tempfile.mkdtemp(prefix="ct-bench-search-"))
    try:
        csv = work / f"chronology-{args.events}.csv"
        harness.generate(csv, args.events, marked=bench_scale.MARKED, mark=bench_scale.MARK)
        print(f"{before}\nPython {sys.version.split()[0]}; {args.events:,} events, {args.documents:,} documents; "
              f"median of {args.repeat} requests\n")  # fmt: skip
        tables, targets = harness.each_database(
            args.database, lambda kind: report(kind, bench_database(kind, csv, args, work))
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    harness.conclude(title="bench_search.py: search against the plain timeline", command=command, before=before,
                     note=args.record, tables=tables, targets=targets)  # fmt: skip


if __name__ == "__main__":
    main()
