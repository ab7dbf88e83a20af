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
  unchained  the same import with the hash chain's writes taken out (its two signal receivers disconnected and the
           bulk linking step skipped): the import as it was before the chain, to price the chain (target <= 1.15 x)

The baselines build each Event with its title, description, kind, status, key flag, external id and its date (parsed
through evidence.dates with a per-text cache, as the importer does); they write no actors, issues or citations, so the
import does strictly more work than the floor. Times are wall-clock seconds from reading the file to commit; peak
memory is the subprocess's maximum resident set size (ru_maxrss), which includes Django itself (~the "idle" figure).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASUREMENTS = ("plain", "floor", "preview", "import", "unchained")
EXHIBITS = 20

DATES = ["Aug 2024", "c. Sept 2024", "2024", "01/21/2025", "2025-01-24 09:30", "Jan 5, 2024", "after Aug 2024",
         "Aug – Sept 2024", "2023-11-02", "March 3, 2022", "unknown", "12/31/2023", "Oct 2021", "2020"]  # fmt: skip
KINDS = ["Policy edit", "Setting introduced", "User email", "Court filing", "Public statement", "Internal memo",
         "Other", "FAQ edit"]  # fmt: skip
STATUSES = ["Disputed by Opposition", "Undisputed", "Unsure"]
WORDS = ["lorem", "ipsum", "dolor", "consent", "notice", "policy", "setting"]


def _us_date(rnd: random.Random) -> str:
    return f"{rnd.randint(1, 12):02d}/{rnd.randint(1, 28):02d}/{rnd.randint(2015, 2025)}"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    import csv

    rnd = random.Random(seed)
    actors = [f"Person {i}" for i in range(50)]
    issues = [f"Issue {i}" for i in range(30)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Ref", "Date & Time", "Fact Text", "Details", "Category", "Status", "Key", "People",
                      "Linked Issues", "Source(s)"])  # fmt: skip
        for i in range(rows):
            sources = [f"PX-{rnd.randint(1, EXHIBITS)} p. {rnd.randint(1, 40)}" for _ in range(rnd.randint(0, 2))]
            if rnd.random() < 0.2:
                sources.append(f"Dkt. {rnd.randint(1, 300)}")
            out.writerow([
                f"R-{i:06d}",
                rnd.choice(DATES) if rnd.random() < 0.7 else _us_date(rnd),
                f"Fact number {i}: {rnd.choice(['LinkedIn', 'The plaintiff', 'Counsel'])} did something notable",
                " ".join(rnd.choice(WORDS) for _ in range(30)),
                rnd.choice(KINDS), rnd.choice(STATUSES), rnd.choice(["Y", "N", "", "x"]),
                "; ".join(rnd.sample(actors, rnd.randint(0, 3))),
                ", ".join(rnd.sample(issues, rnd.randint(0, 3))),
                "; ".join(sources),
            ])  # fmt: skip


# Child: one measurement ---------------------------------------------------------------------------------------------


def child(measure: str, csv_path: Path) -> None:
    import django

    django.setup()
    import io

    from django.contrib.auth import get_user_model

    from evidence.services.documents import document_intake
    from evidence.services.matters import matter_create

    user = get_user_model().objects.get(username="bench")
    n = int(time.time() * 1000) % 10**9
    matter = matter_create(user=user, slug=f"bench-{measure}-{n}", short_title=f"Bench {measure}",
                                    time_zone="America/Los_Angeles")  # fmt: skip
    for i in range(EXHIBITS):
        document_intake(matter=matter, user=user, file=io.BytesIO(f"exhibit {i} {n}".encode()),
                                 filename=f"ex{i}.txt", reason="bench")  # fmt: skip
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
    """This process only: history rows are written as before the chain existed, so that its cost is measured."""
    from simple_history.signals import post_create_historical_m2m_records, post_create_historical_record

    from evidence.importing import apply

    post_create_historical_record.disconnect(dispatch_uid="evidence.chain")
    post_create_historical_m2m_records.disconnect(dispatch_uid="evidence.chain.m2m")
    apply.chain_append_written = lambda *args, **kwargs: None


def _time_the_chain() -> list[float]:
    """The seconds the import spends linking its bulk-written history rows into the chain, in this same run."""
    from evidence.importing import apply

    spent, append = [0.0], apply.chain_append_written

    def timed(*args, **kwargs):
        start = time.perf_counter()
        append(*args, **kwargs)
        spent[0] += time.perf_counter() - start

    apply.chain_append_written = timed
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
                      is_key=key in ("Y", "x"), external_id=ref)  # fmt: skip
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


def run_child(env: dict, *args: str) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"child {args} failed")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def bench_database(kind: str, csv_path: Path, work: Path) -> dict[str, dict]:
    env = {
        **os.environ, "SECRET_KEY": "bench-only", "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "casetimeline.settings",
        "MEDIA_ROOT": str(work / f"media-{kind}"), "TASKS_BACKEND": "immediate", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    dbname = f"ct_bench_{os.getpid()}"
    if kind == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"create database {dbname}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    try:
        run_child(env, "--setup")
        return {m: run_child(env, "--child", m, "--csv", str(csv_path)) for m in MEASUREMENTS}
    finally:
        if kind == "postgres":
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"drop database if exists {dbname}"])


def setup() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("bench", password="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=MEASUREMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup()
    if args.child:
        return child(args.child, Path(args.csv))

    work = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    try:
        csv_path = work / "chronology.csv"
        generate(csv_path, args.rows)
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
