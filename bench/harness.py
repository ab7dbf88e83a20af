"""What the benchmarks share: a throwaway database, the generated chronology CSV, a matter with its exhibits, one
measurement run in its own subprocess, so that its peak memory is its own, a page timed, and a run's targets printed
and recorded in RESULTS.md.

Imported by the bench_*.py scripts (run as scripts, so bench/ is on sys.path).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
EXHIBITS = 20
USER = "bench"

# The generated chronology: a team's spreadsheet, fuzzy dates and all.
DATES = ["Aug 2024", "c. Sept 2024", "2024", "01/21/2025", "2025-01-24 09:30", "Jan 5, 2024", "after Aug 2024",
         "Aug – Sept 2024", "2023-11-02", "March 3, 2022", "unknown", "12/31/2023", "Oct 2021", "2020"]  # fmt: skip
KINDS = ["Policy edit", "Setting introduced", "User email", "Court filing", "Public statement", "Internal memo",
         "Other", "FAQ edit"]  # fmt: skip
STATUSES = ["Disputed by Opposition", "Undisputed", "Unsure"]
WORDS = ["lorem", "ipsum", "dolor", "consent", "notice", "policy", "setting"]


def _us_date(rnd: random.Random) -> str:
    return f"{rnd.randint(1, 12):02d}/{rnd.randint(1, 28):02d}/{rnd.randint(2015, 2025)}"


def generate(path: Path, rows: int, seed: int = 7, *, marked: int = 0, mark: str = "") -> None:
    """A chronology CSV of `rows` rows; with `marked`, that many rows spread evenly through it (or every row, if
    fewer) also carry the word `mark` in their details, for a search that finds a known number of events whatever
    the size. The other cells do not depend on `marked`."""
    rnd = random.Random(seed)
    every = max(1, rows // marked) if marked else 0
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
            details = " ".join(rnd.choice(WORDS) for _ in range(30))
            if every and i % every == 0 and i // every < marked:
                details += f" {mark}"
            out.writerow([
                f"R-{i:06d}",
                rnd.choice(DATES) if rnd.random() < 0.7 else _us_date(rnd),
                f"Fact number {i}: {rnd.choice(['LinkedIn', 'The plaintiff', 'Counsel'])} did something notable",
                details,
                rnd.choice(KINDS), rnd.choice(STATUSES), rnd.choice(["Y", "N", "", "x"]),
                "; ".join(rnd.sample(actors, rnd.randint(0, 3))),
                ", ".join(rnd.sample(issues, rnd.randint(0, 3))),
                "; ".join(sources),
            ])  # fmt: skip


# In a child, after django.setup() ------------------------------------------------------------------------------------


def setup() -> None:
    """The schema, and the user every measurement acts as."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user(USER, password=USER)


def bench_matter(*, slug: str, title: str, **fields):
    """A matter owned by the bench user, with the exhibits PX-1..PX-20 that the generated CSV cites."""
    from django.contrib.auth import get_user_model

    from evidence.services.documents import document_intake
    from evidence.services.matters import matter_create

    user = get_user_model().objects.get(username=USER)
    matter = matter_create(user=user, slug=slug, short_title=title, time_zone="America/Los_Angeles", **fields)
    for i in range(EXHIBITS):
        document_intake(matter=matter, user=user, file=io.BytesIO(f"exhibit {i} {slug}".encode()),
                        filename=f"ex{i}.txt", reason="bench")  # fmt: skip
    return matter


def measure_page(client, url: str, params: dict, repeat: int) -> dict:
    """A page as `client` gets it: once for its size and query count, then `repeat` times timed (the median kept)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        size = get(client, url, params)
    count = len(queries)  # now: the requests below empty the connection's log that it reads from
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        get(client, url, params)
        times.append((time.perf_counter() - start) * 1000)
    return {"ms": statistics.median(times), "queries": count, "kb": size / 1024}


def get(client, url: str, params: dict) -> int:
    """The size of the page, in bytes."""
    response = client.get(url, params)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} {params}: {response.status_code}")
    return len(response.content)


# In the parent ------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, work: Path, *, settings: str = "casetimeline.settings") -> Iterator[dict]:
    """The environment of a child using a throwaway database: a SQLite file in `work`, or a PostgreSQL database on
    127.0.0.1:5432 that is dropped on the way out."""
    env = {
        **os.environ, "SECRET_KEY": "bench-only", "DEBUG": "false", "DJANGO_SETTINGS_MODULE": settings,
        "MEDIA_ROOT": str(work / f"media-{kind}"), "TASKS_BACKEND": "immediate", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    name = f"ct_bench_{os.getpid()}_{int(time.time())}"
    if kind == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / name}.sqlite3"
    else:
        subprocess.run([*PSQL, f"create database {name}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        yield env
    finally:
        if kind != "sqlite":
            subprocess.run([*PSQL, f"drop database if exists {name}"], check=False)


def run_child(script: Path | str, env: dict, *args: str, sample: float = 0.1) -> dict:
    """Run `script *args` in a fresh Python process and return the JSON object it prints last, with:

    peak_mb       the child's maximum resident set size (ru_maxrss from wait4: the largest of the child and any
                  process it forked and waited for, each counted alone)
    tree_peak_mb  the largest sum of resident sets of the child and its descendants at one time, sampled every
                  `sample` seconds (psutil): what the machine had to hold while several workers ran at once. Pages
                  a forked worker still shares with its parent are counted in both, so this is an upper bound.
    tree_pss_mb   the same sum of proportional set sizes (shared pages divided among their processes), sampled
                  ten times less often (reading it costs more): the lower, fairer figure, at a coarser grain.
    """
    import psutil

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, str(script), *args], env=env, cwd=ROOT, stdout=out, stderr=err)
        tree_peak = tree_pss = 0
        for tick in itertools.count():
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_memory(psutil, proc.pid, "rss"))
            if tick % 10 == 9:
                tree_pss = max(tree_pss, _tree_memory(psutil, proc.pid, "pss"))
            time.sleep(sample)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode:
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"{Path(script).name} {' '.join(args)} failed ({proc.returncode})")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["tree_peak_mb"] = max(tree_peak / 1024 / 1024, result["peak_mb"])
    result["tree_pss_mb"] = tree_pss / 1024 / 1024
    return result


def _tree_memory(psutil, pid: int, kind: str) -> int:
    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss if kind == "rss" else process.memory_full_info().pss
    return total


def each_database(
    choice: str, run: Callable[[str], tuple[list[str], list[tuple[str, bool]]]]
) -> tuple[list[str], list[tuple[str, bool]]]:
    """`run(kind)` on SQLite, PostgreSQL or "both", each table printed as it comes: the tables and the targets."""
    tables, targets = [], []
    for kind in ["sqlite", "postgres"] if choice == "both" else [choice]:
        lines, met = run(kind)
        print("\n".join(lines) + "\n", flush=True)
        tables += [*lines, ""]
        targets += met
    return tables, targets


def conclude(*, title: str, command: str, before: str, note: str | None, tables: list[str], targets) -> None:
    """The targets met and missed, and the machine after the run; with a note (--record, "" for none), the run
    appended to RESULTS.md under `title`."""
    for what, ok in targets:
        print(f"{'PASS' if ok else 'MISS'}  {what}")
    after = machine()
    print(f"\n{after}")
    if note is not None:
        record(title, command=command, before=before, after=after, note=note, tables=tables, targets=targets)
        print(f"Recorded in {RESULTS.relative_to(ROOT)}")


def record(title: str, *, command: str, before: str, after: str, note: str, tables: list[str], targets) -> None:
    """Append a run to RESULTS.md, read again just before: others append their own runs to the same file."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    code = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True,
                          check=False).stdout.strip()  # fmt: skip
    section = [f"## {stamp} — {title}", ""]
    if note:
        section += [note, ""]
    section += [f"Command: `{command}`", "", f"- Code: {code}", f"- Machine before: {before}",
                f"- Machine after: {after}", "", *tables,
                "Targets:", "", *[f"- {what}: {'PASS' if ok else 'MISS'}" for what, ok in targets], ""]  # fmt: skip
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")


def machine() -> str:
    """nproc and `uptime`, for the record of a run."""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    return f"{os.cpu_count()} CPUs; uptime: {uptime}"
