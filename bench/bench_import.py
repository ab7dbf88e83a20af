"""Benchmark of the event import against two baselines, on the same generated rows, in the same run.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--database sqlite|postgres|both]

Measured, each in its own subprocess (so that peak memory is that measurement's own) and each into a fresh matter
of a throwaway database (a temporary SQLite file; a temporary PostgreSQL database on 127.0.0.1:5432, dropped after):

  plain    pandas.read_csv(dtype=str) + Event objects + Event.objects.bulk_create   (no history: not allowed in the app)
  floor    pandas.read_csv(dtype=str) + Event objects + bulk_create_with_history     (the floor for keeping history)
  preview  evidence.importing: read + match columns + validate every row + plan (dry run, writes nothing)
  import   evidence.importing: read + validate + plan + write in one transaction: events with history, their actors
           and issues (through rows + m2m history rows), citations with history, new actors/issues with history,
           every history row linked into the matter's hash chain
  unchained  the same import with the hash chain's writes taken out (its two signal receivers disconnected, the
           bulk linking step skipped, the bulk history INSERTs returning nothing): the import as it was before the
           chain, to price the chain (target <= 1.15 x)

The baselines build each Event with its title, description, kind, status, key flag, external id and its date (parsed
through evidence.dates with a per-text cache, as the importer does); they write no actors, issues or citations, so the
import does strictly more work than the floor. Times are wall-clock seconds from reading the file to commit; peak
memory is the subprocess's maximum resident set size (ru_maxrss), which includes Django itself (~the "idle" figure).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import harness

MEASUREMENTS = ("plain", "floor", "preview", "import", "unchained")


# Child: one measurement ---------------------------------------------------------------------------------------------


def child(measure: str, csv_path: Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=harness.USER)
    n = int(time.time() * 1000) % 10**9
    matter = harness.bench_matter(slug=f"bench-{measure}-{n}", title=f"Bench {measure}")
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if measure in ("plain", "floor"):
        written = baseline(csv_path, matter, user, history=measure == "floor")
        detail = f"{written} events"
    else:
        from evidence.importing import import_events, read_table

        if measure == "unchained":
            _take_out_the_chain()
        chain = _time_the_chain() if measure == "import" else None

        result = import_events(read_table(csv_path, name=csv_path.name), matter=matter, user=user,
                               dry_run=measure == "preview")  # fmt: skip
        assert result.plan.ok, result.plan.errors[:5]
        detail = result.plan.summary() + (f"; linking the bulk rows into the chain: {chain[0]:.2f} s" if chain else "")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_kb": peak, "idle_kb": idle, "detail": detail}))


def _take_out_the_chain() -> None:
    """This process only: history rows are written as before the chain existed, so that its cost is measured: no
    signal receivers, no linking of the bulk rows, and the bulk INSERTs of history rows return nothing."""
    from django.db import connection
    from simple_history.signals import post_create_historical_m2m_records, post_create_historical_record

    from evidence.importing import apply, bulk

    class NoChain:
        def __init__(self, matter_id):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def written(self, *args, **kwargs):
            pass

        returned = append = written

    def insert_only(historical, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return []

    post_create_historical_record.disconnect(dispatch_uid="evidence.chain")
    post_create_historical_m2m_records.disconnect(dispatch_uid="evidence.chain.m2m")
    apply.BulkChain = NoChain
    bulk.insert_returning = insert_only


def _time_the_chain() -> list[float]:
    """The seconds the import spends linking its bulk-written history rows into the chain, in this same run: in
    BulkChain's calls (reading back the rows, waiting for their hashes, writing the links), not in
    the hashing its forked children do meanwhile."""
    from evidence.importing import apply

    spent = [0.0]

    def timed(method):
        def linking(*args, **kwargs):
            start = time.perf_counter()
            method(*args, **kwargs)
            spent[0] += time.perf_counter() - start

        return linking

    class TimedChain(apply.BulkChain):
        written = timed(apply.BulkChain.written)
        returned = timed(apply.BulkChain.returned)
        append = timed(apply.BulkChain.append)

    apply.BulkChain = TimedChain
    return spent


def baseline(csv_path: Path, matter, user, *, history: bool) -> int:
    import pandas as pd
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from evidence import dates
    from evidence.models import Event

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    cache: dict[str, dates.PartialDate] = {}
    kinds = {"Policy edit": "policy_edit", "Court filing": "court_filing"}
    events = []
    for ref, date, title, details, kind, key in zip(
        frame["Ref"],
        frame["Date & Time"],
        frame["Fact Text"],
        frame["Details"],
        frame["Category"],
        frame["Key"],
        strict=True,
    ):
        event = Event(matter=matter, title=title, description=details, kind=kinds.get(kind, "other"),
                      is_key=key in ("Y", "x"), external_id=ref, number=len(events) + 1)  # fmt: skip
        if date not in cache:
            cache[date] = matter.read_date(dates.parse(date))
        event.date = cache[date]
        events.append(event)
    with transaction.atomic():
        if history:
            bulk_create_with_history(events, Event, batch_size=2000, default_user=user,
                                     default_change_reason=f"Imported from {csv_path.name}")  # fmt: skip
        else:
            Event.objects.bulk_create(events, batch_size=2000)
    return len(events)


# Parent -------------------------------------------------------------------------------------------------------------


def bench_database(kind: str, csv_path: Path, work: Path) -> dict[str, dict]:
    with harness.database(kind, work) as env:
        harness.run_child(__file__, env, "--setup")
        return {m: harness.run_child(__file__, env, "--child", m, "--csv", str(csv_path)) for m in MEASUREMENTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=MEASUREMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return harness.setup()
    if args.child:
        return child(args.child, Path(args.csv))

    work = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    try:
        csv_path = work / "chronology.csv"
        harness.generate(csv_path, args.rows)
        print(f"{args.rows:,} rows, {csv_path.stat().st_size / 1024 / 1024:.1f} MB CSV "
              f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")  # fmt: skip
        for kind in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
            results = bench_database(kind, csv_path, work)
            floor = results["floor"]["seconds"]
            print(f"\n{kind}")
            print(f"  {'measurement':<10} {'seconds':>8} {'x floor':>8} {'peak RSS':>9} {'idle RSS':>9}  detail")
            for m in MEASUREMENTS:
                r = results[m]
                print(f"  {m:<10} {r['seconds']:8.2f} {r['seconds'] / floor:8.2f} {r['peak_kb'] / 1024:7.0f}MB "
                      f"{r['idle_kb'] / 1024:7.0f}MB  {r['detail']}")  # fmt: skip
            verdict = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
            write, preview = results["import"]["seconds"] / floor, results["preview"]["seconds"] / floor
            chain = results["import"]["seconds"] / results["unchained"]["seconds"]
            print(
                f"  targets: import <= 1.5 x floor: {write:.2f} ({verdict(write <= 1.5)}); "
                f"preview <= 0.5 x floor: {preview:.2f} ({verdict(preview <= 0.5)}); "
                f"import <= 1.15 x unchained: {chain:.2f} ({verdict(chain <= 1.15)})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
