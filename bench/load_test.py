"""Load test: simulated paralegals against gunicorn on PostgreSQL with evidence in S3, on this machine's loopback.

    .venv/bin/python bench/load_test.py [--users 50] [--seconds 60] [--wait 1-5] [--events 3000]
        [--storage s3|local] [--web-workers 2] [--web-threads 4] [--db-workers 2] [--worker-nice 10]
        [--quiet-wait 300]
        [--note TEXT] [--no-record] [--keep]

One command builds everything, runs the load, reports and tears everything down (on failure and Ctrl-C too):

1. a throwaway PostgreSQL database on 127.0.0.1:5432 (user postgres, trust auth), dropped at the end;
2. moto's standalone S3 server on a free loopback port and a bucket in it, for STORAGE_S3_* (`--storage local`: the
   local MEDIA_ROOT instead);
3. migrate, collectstatic, `manage.py load_demo`, then the demo matter grows by --events events through the importer
   (with history and the hash chain, as a spreadsheet import writes them), to 30 exhibits through document intake,
   and --editors users get the editor role (membership_set); ANALYZE, as autovacuum would after such an import;
4. `db_worker --queue-name '*'` processes (--db-workers) for the exports, at the niceness the worker's service unit
   gives them on a host shared with the web (--worker-nice), and gunicorn with deploy/gunicorn.conf.py
   (WEB_CONCURRENCY / GUNICORN_THREADS from --web-workers / --web-threads) on a free loopback port, DEBUG off;
5. up to --quiet-wait seconds for the shared CPUs to be less than 25% busy with other work (recorded either way);
6. bench/locustfile.py with locust's library API: every simulated user logs in through the login form (a phase of
   its own, reported apart: 50 password hashes at once are a morning, not the day); once all are in, the stats are
   reset and the paralegal's mix runs for --seconds, each user thinking --wait seconds between tasks: timeline pages
   with filters, searches, event pages, event edits with a reason, uploads, exports polled to the end and downloaded;
7. a table per request name ("category: step"), totals, PASS/FAIL against the targets (no failed request; p95 <=
   500 ms for every page and for the edit's save), where the CPU time went, the slowest requests as gunicorn timed
   them (its own time, without the wait for a free thread), and a dated section appended to bench/RESULTS.md with
   this command, the machine, the settings and the figures.

Not a test: the figures depend on the machine and on what else runs on it; both are recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent


def _deployed_database_options() -> str:
    """The query of deploy/env.example's DATABASE_URL (its connection settings), so that the load test measures the
    sample deployment's."""
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line.startswith("DATABASE_URL="):
            return line.partition("?")[2]
    return ""


DEPLOYED_DATABASE_OPTIONS = _deployed_database_options()
RESULTS = BENCH / "RESULTS.md"
PASSWORD = "load-test-password-4821"
TARGET_P95_MS = 500
# The pages (HTML a paralegal waits for) and the edit's save: the requests the p95 target is about.
TARGETED = ("timeline", "search", "event page", "edit: form", "edit: save", "upload: page", "export: page")
EXHIBITS = 30
BUCKET = "casetimeline-load-test"

# Seed data -----------------------------------------------------------------------------------------------------------

WORDS = [
    "privacy", "setting", "policy", "consent", "member", "data", "training", "opt-out", "notice", "FAQ", "message",
    "premium", "generative", "model", "affiliate", "disclosure", "regional", "email", "statement", "complaint",
    "account", "default", "toggle", "screenshot", "archive", "revision", "counsel", "declaration", "deposition",
    "custodian", "subscriber", "InMail", "Microsoft", "partner", "users", "update", "amended", "published",
]  # fmt: skip
SEARCH_TERMS = ["consent", "privacy policy", "opt-out", "training", "InMail", "declaration", "FAQ", "screenshot",
                "Microsoft", "amended", "premium", "regional", "deposition", "custodian"]  # fmt: skip
ISSUES = ["Consent", "Notice", "Data sharing", "AI training", "Damages", "Class certification", "Arbitration",
          "UK/EEA/Switzerland", "Premium contract", "Stored Communications Act", "Breach of contract",
          "Unfair competition", "Spoliation", "Personal jurisdiction"]  # fmt: skip
KINDS = ["Setting introduced", "Setting changed", "Policy edit", "FAQ / help-page edit", "User communication",
         "Internal communication", "Public statement", "Court filing", "Other"]  # fmt: skip
STATUSES = ["Undisputed", "Disputed", "Unverified"]


def _date_text(rng: random.Random) -> str:
    year, month, day = rng.randint(2018, 2025), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.random()
    if form < 0.08:
        return str(year)
    if form < 0.25:
        return dt.date(year, month, 1).strftime("%b %Y")
    if form < 0.3:
        return "c. " + dt.date(year, month, 1).strftime("%b %Y")
    if form < 0.9:
        return f"{year}-{month:02d}-{day:02d}"
    if form < 0.97:
        return f"{year}-{month:02d}-{day:02d} {rng.randint(7, 19):02d}:{rng.choice(['00', '15', '30', '45'])}"
    return ""  # undated


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def chronology_csv(path: Path, rows: int, actors: list[str], seed: int = 11) -> None:
    """A chronology as a litigation team keeps it: mixed date precision, kinds, statuses, actors, issues, exhibits."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Ref", "Date", "Title", "Description", "Kind", "Status", "Key", "Actors", "Issues", "Sources"])
        for i in range(rows):
            sources = [f"PX-{rng.randint(1, EXHIBITS)} p. {rng.randint(1, 3)}" for _ in range(rng.randint(0, 2))]
            out.writerow([
                f"LT-{i:05d}", _date_text(rng), _sentence(rng, 5, 12),
                " ".join(_sentence(rng, 8, 18) for _ in range(rng.randint(1, 4))),
                rng.choice(KINDS), rng.choice(STATUSES), "Y" if rng.random() < 0.08 else "",
                "; ".join(rng.sample(actors, rng.randint(0, 3))), "; ".join(rng.sample(ISSUES, rng.randint(0, 3))),
                "; ".join(dict.fromkeys(sources)),
            ])  # fmt: skip


def text_pdf(pages: list[list[str]], *, padding: int = 0) -> bytes:
    """A small, valid PDF whose pages hold these lines of text (Helvetica, extractable), and optionally `padding`
    bytes of an unreferenced stream, the weight of a scanned exhibit. Shared by the seed and the simulated users."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        text = "BT /F1 10 Tf 14 TL 72 740 Td " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
        stream = text.encode("latin-1", "replace")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    if padding:
        blob = random.randbytes(padding)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(blob), blob))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def seed(plan_path: Path, *, events: int, editors: int) -> None:
    """In a child process with the load test's environment: grow the demo matter and add its editors."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from evidence.demo import matter as demo
    from evidence.importing import import_events, read_table
    from evidence.models import Actor, Document, Event, Issue, Matter, Role
    from evidence.services.actors import actor_get_or_create
    from evidence.services.documents import document_intake
    from evidence.services.matters import membership_set

    matter = Matter.objects.get(slug=demo.MATTER["slug"])
    owner = get_user_model().objects.get(username="paralegal")
    rng = random.Random(5)
    reason = "load test seed"
    actors = [*demo.ACTORS, *(f"{first} {last}" for first in ("Dana", "Luis", "Priya", "Tom", "Mei", "Ola")
                              for last in ("Okafor", "Brandt", "Ruiz", "Chen", "Nakamura"))]  # fmt: skip
    for name in actors:
        actor_get_or_create(matter=matter, name=name, user=owner, reason=reason)
    while Document.objects.filter(matter=matter).count() < EXHIBITS:
        n = Document.objects.filter(matter=matter).count() + 1
        pages = [[_sentence(rng, 6, 12) for _ in range(40)] for _ in range(rng.randint(1, 4))]
        document_intake(matter=matter, user=owner, file=io.BytesIO(text_pdf(pages)), filename=f"production-{n:03d}.pdf",
                        title=f"Production volume {n}", reason=reason)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chronology.csv"
        chronology_csv(path, events, actors)
        result = import_events(read_table(path, name="chronology.csv"), matter=matter, user=owner)
        if not result.plan.ok:
            raise SystemExit(f"the seed import was refused: {result.plan.errors[:5]}")
    users = []
    for i in range(1, editors + 1):
        user = get_user_model().objects.create_user(f"editor{i:02d}", password=PASSWORD)
        membership_set(matter=matter, user=owner, member=user, role=Role.EDITOR, reason=reason)
        users.append(user.username)
    live = Event.objects.filter(matter=matter, deleted_at__isnull=True)
    plan = {
        "matter": matter.slug,
        "users": users,
        "password": PASSWORD,
        "event_ids": list(live.values_list("pk", flat=True)),
        "issues": list(Issue.objects.filter(matter=matter).values_list("name", flat=True)),
        "actors": list(Actor.objects.filter(matter=matter).values_list("name", flat=True)),
        "search_terms": SEARCH_TERMS,
        "counts": {
            "events": live.count(),
            "documents": Document.objects.filter(matter=matter).count(),
            "actors": Actor.objects.filter(matter=matter).count(),
            "issues": Issue.objects.filter(matter=matter).count(),
            "citations": live.filter(citations__isnull=False).count(),
        },
    }
    plan_path.write_text(json.dumps(plan))


# Processes -----------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str, *, check: bool = True) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=check,
                   capture_output=not check)  # fmt: skip


class Processes:
    """The servers this run starts, each in its own process group (gunicorn's workers, a worker's PDF sections), all
    stopped at the end: SIGTERM, then SIGKILL for whatever is left after a grace period."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        self.started.append((name, proc))
        return proc

    def check_alive(self) -> None:
        for name, proc in self.started:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; its log:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop_all(self) -> None:
        """Last started first (locust, gunicorn, the workers, then the store they write to), each given a few
        seconds to finish what it is doing; then its whole group is killed."""
        for _name, proc in reversed(self.started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group: workers or children a SIGTERM left behind
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        self.started.clear()


def wait_for(url: str, procs: Processes, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        procs.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def run(argv: list[str], env: dict, what: str) -> str:
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def s3_available() -> bool:
    """The S3 backend settings.py names when STORAGE_S3_BUCKET is set, if this checkout has it."""
    try:
        source = (ROOT / "evidence" / "storage.py").read_text()
    except OSError:
        return False
    return "class EvidenceS3Storage" in source


def cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU time of a process group's leader, its live descendants and the children it has reaped (gunicorn's
    recycled workers)."""
    import psutil

    try:
        leader = psutil.Process(proc.pid)
        total = sum(leader.cpu_times()[:4])
        for child in leader.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += sum(child.cpu_times()[:2])
        return total
    except psutil.Error:
        return 0.0


def backends_cpu(dbname: str) -> dict[int, float]:
    """{pid: CPU seconds} of the PostgreSQL backends connected to this run's database (pg_stat_activity)."""
    import psutil

    listed = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc",
                             f"select pid from pg_stat_activity where datname = '{dbname}'"],
                            capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    seconds = {}
    for pid in map(int, listed):
        with contextlib.suppress(psutil.Error):
            seconds[pid] = sum(psutil.Process(pid).cpu_times()[:2])
    return seconds


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


# Report --------------------------------------------------------------------------------------------------------------


def fmt_ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def table(rows: list[dict], total: dict | None = None) -> list[str]:
    header = (f"| {'request':<18} | {'requests':>8} | {'failures':>8} | {'median ms':>9} | {'p95 ms':>7} "
              f"| {'max ms':>7} |")  # fmt: skip
    lines = [header, "|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|"]
    for row in rows + ([total] if total else []):
        name = row["name"] + (" *" if row["name"] in TARGETED else "")
        lines.append(
            f"| {name:<18} | {row['requests']:>8,} | {row['failures']:>8,} | {fmt_ms(row['median']):>9} | "
            f"{fmt_ms(row['p95']):>7} | {fmt_ms(row['max']):>7} |"
        )
    return lines


def verdicts(result: dict) -> list[tuple[str, bool, str]]:
    rows = {row["name"]: row for row in result["mix"]}
    failures = sum(row["failures"] for row in result["mix"] + result["login"])
    exceptions = sum(e["count"] for e in result["exceptions"])
    out = [
        (
            "no failed request",
            failures + exceptions == 0,
            f"{failures} failed" + (f", {exceptions} exceptions in the simulated users" if exceptions else ""),
        )
    ]
    pages = [rows[name] for name in TARGETED if name in rows and name != "edit: save"]
    worst = max(pages, key=lambda row: row["p95"] or 0, default=None)
    out.append((f"p95 <= {TARGET_P95_MS} ms for every page", worst is not None and worst["p95"] <= TARGET_P95_MS,
                f"worst: {worst['name']} {worst['p95']} ms" if worst else "no page measured"))  # fmt: skip
    edit = rows.get("edit: save")
    out.append((f"p95 <= {TARGET_P95_MS} ms for edits", edit is not None and edit["p95"] <= TARGET_P95_MS,
                f"edit: save {edit['p95']} ms" if edit else "no edit measured"))  # fmt: skip
    return out


def report(result: dict, context: dict) -> str:
    lines = [
        f"## {context['when']} — {result['users']} users, {result['seconds']} s, evidence in {context['storage']}",
        "",
        f"Command: `{context['command']}`",
        "",
        f"- Code: {context['code']}",
        f"- Machine: {context['nproc']} CPUs (nproc), {context['cpu_model']}; load average before "
        f"{context['load_before']}, after {context['load_after']}; CPUs {context['busy_before']:.0%} busy with "
        f"other work in the 5 s before the load; `uptime` then: {context['uptime']}",
        f"- Web: gunicorn {context['web_workers']} workers x {context['web_threads']} threads (gthread), DEBUG off; "
        f"{context['db_workers']} `db_worker` processes (nice {context['worker_nice']}); "
        f"PostgreSQL {context['pg_version']} on 127.0.0.1"
        f"{' (DATABASE_URL ?' + context['database_options'] + ')' if context['database_options'] else ''}; "
        f"{context['storage_detail']}",
        f"- Matter: {context['counts']['events']:,} events ({context['counts']['citations']:,} citing exhibits), "
        f"{context['counts']['documents']} documents, {context['counts']['actors']} actors, "
        f"{context['counts']['issues']} issues before the run; {result['users']} simulated users over "
        f"{len(context['editors'])} editor accounts; think time {result['wait']} s between tasks",
        f"- Mix (task weights): {result['weights']}",
        "",
        f"Log-in phase, before the {result['seconds']} s (all {result['users']} users at {result['spawn_rate']}/s; "
        "not part of the targets):",
        "",
        *table(result["login"]),
        "",
        f"The paralegal's mix, {result['seconds']} s with all users logged in ({result['rps']:.1f} requests/s; "
        "* = under the p95 target):",
        "",
        *table(result["mix"], result["total"]),
        "",
    ]
    exports = result["exports"]
    if exports["started"]:
        ready = sorted(exports["ready_seconds"])
        median = ready[len(ready) // 2] if ready else None
        lines.append(
            f"Exports: {exports['started']} started, {len(ready)} ready within the run"
            + (f" (start to ready: median {median:.1f} s, max {ready[-1]:.1f} s)" if ready else "")
            + f", {exports['failed']} failed, {exports['unfinished']} still running when the run ended; "
            f"formats {exports['formats']}."
        )
    lines.append(
        f"Edits: {result['edits']['saved']} saved, {result['edits']['conflicts']} met another user's save (the "
        "stale-edit page) and were saved again over it."
    )
    lines.append(
        f"Uploads: {result['uploads']['files']} files, {result['uploads']['bytes'] / 1e6:.1f} MB, "
        f"{result['uploads']['stored']} stored. Evidence: {context['stored']}."
    )
    cpu = context["cpu"]
    lines.append(
        f"CPU during the mix: machine {cpu['machine_busy']:.0%} busy; CPU-seconds gunicorn {cpu['gunicorn']:.0f}, "
        f"db_workers {cpu['db_worker']:.0f}, PostgreSQL {cpu['postgres']:.0f} (the {cpu['postgres_backends']} "
        f"backends connected at the end), S3 server {cpu['s3']:.0f}, locust {cpu['locust']:.0f}, everything else "
        f"(backends that ended, others' work on the machine) {cpu['others']:.0f}; {cpu['available']:.0f} available. "
        f"gunicorn's CPU per request: {1000 * cpu['gunicorn'] / max(1, result['total']['requests']):.0f} ms."
    )
    if result["errors"] or result["exceptions"]:
        lines += ["", "Failures:", ""]
        lines += [f"- {e['occurrences']} x {e['method']} {e['name']}: {e['error']}" for e in result["errors"]]
        lines += [f"- {e['count']} x exception: {e['msg']}" for e in result["exceptions"]]
    lines += ["", "Targets:", ""]
    lines += [f"- {what}: {'PASS' if ok else 'FAIL'} ({detail})" for what, ok, detail in verdicts(result)]
    return "\n".join(lines) + "\n"


# Main ----------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--events", type=int, default=3000, help="events added to the demo matter")
    parser.add_argument("--editors", type=int, default=10, help="editor accounts the simulated users share")
    parser.add_argument("--wait", default="1-5", help="think time between tasks, seconds MIN-MAX")
    parser.add_argument("--storage", choices=["s3", "local"], default="s3" if s3_available() else "local",
                        help="default: s3 when evidence/storage.py has the S3 backend")  # fmt: skip
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--web-threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "4")))
    parser.add_argument("--db-workers", type=int, default=2)
    parser.add_argument("--worker-nice", type=int, default=10, metavar="N",
                        help="the db_workers' niceness: 10, as deploy/casetimeline-worker.service sets (Nice=) for a "
                        "worker sharing a host with the web; 0 to run them as the web runs")  # fmt: skip
    parser.add_argument("--database-options", default=DEPLOYED_DATABASE_OPTIONS, metavar="QUERY",
                        help="appended to DATABASE_URL; default: what deploy/env.example's DATABASE_URL sets "
                        "(persistent connections, conn_max_age=60&conn_health_checks=True); '' for one connection "
                        "per request, Django's default")  # fmt: skip
    parser.add_argument("--quiet-wait", type=int, default=300, metavar="SECONDS",
                        help="wait up to this long for the machine's CPUs to be less than 25%% busy before the load "
                        "(they are shared); the figure is recorded either way")  # fmt: skip
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to bench/RESULTS.md")
    parser.add_argument("--note", default="", help="a line added to the RESULTS.md section")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, plan, figures)")
    parser.add_argument("--seed", metavar="PLAN", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.seed), events=args.events, editors=args.editors)
        return 0
    if args.storage == "s3" and not s3_available():
        parser.error("--storage s3: evidence/storage.py has no EvidenceS3Storage in this checkout")

    command = " ".join([".venv/bin/python", "bench/load_test.py", *map(shlex.quote, sys.argv[1:])])
    work = Path(tempfile.mkdtemp(prefix="ct-load-"))
    dbname = f"ct_load_{os.getpid()}"
    procs = Processes(work)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` tears down on a kill too
    print(f"work folder {work}, database {dbname}", flush=True)
    try:
        return _run(args, command, work, dbname, procs)
    finally:
        procs.stop_all()
        psql(f"drop database if exists {dbname} with (force)", check=False)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def _run(args, command: str, work: Path, dbname: str, procs: Processes) -> int:
    psql(f"create database {dbname}")
    env, storage_detail = _environment(args, work, dbname, procs)
    plan = _build(args, env, work)
    host = _serve(args, env, procs)
    busy = _quiet(args.quiet_wait)
    context = {
        "busy_before": busy,
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "code": _code(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu_model": _cpu_model(),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "web_workers": args.web_workers,
        "web_threads": args.web_threads,
        "db_workers": args.db_workers,
        "worker_nice": args.worker_nice,
        "database_options": args.database_options,
        "pg_version": _pg_version(),
        "storage": "S3 (moto)" if args.storage == "s3" else "a local folder",
        "storage_detail": storage_detail,
        "counts": plan["counts"],
        "editors": plan["users"],
    }
    result, context["cpu"] = _load(args, env, work, procs, host)
    context["stored"] = _stored(env, work)
    context["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(result, context)
    if args.note:
        text = text.replace("\nCommand:", f"\n{args.note}\n\nCommand:", 1)
    print("\n" + text)
    slow = _slowest(work / "gunicorn.log")
    if slow:
        print("Slowest requests as gunicorn timed them (method path status ms):\n  " + "\n  ".join(slow))
    if not args.no_record:
        new_file = not RESULTS.exists() or RESULTS.stat().st_size == 0
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(RESULTS_HEADER if new_file else "")
            fh.write("\n" + text)
        print(f"\nappended to {RESULTS.relative_to(ROOT)}")
    return 0 if all(ok for _, ok, _ in verdicts(result)) else 1


def _environment(args, work: Path, dbname: str, procs: Processes) -> tuple[dict, str]:
    """The environment of every process of the app (a deployment's, DEBUG off), and the S3 server when asked for."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3_", "AWS_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "casetimeline.settings", "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}"
        + (f"?{args.database_options}" if args.database_options else ""),
        "SECRET_KEY": f"load-test-only-{random.randbytes(16).hex()}", "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "database", "STATIC_ROOT": str(work / "static"), "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": str(args.web_workers), "GUNICORN_THREADS": str(args.web_threads),
    })  # fmt: skip
    if args.storage != "s3":
        return env, f"evidence in a local folder (MEDIA_ROOT {work / 'media'})"
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    procs.start("s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], env)
    wait_for(f"{endpoint}/", procs)
    env.update({"STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": endpoint, "STORAGE_S3_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})  # fmt: skip
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)  # fmt: skip
    _step(f"S3 server on {endpoint}, bucket {BUCKET}")
    return env, f"evidence in S3 (moto {_version('moto')} server on 127.0.0.1, bucket {BUCKET})"


def _build(args, env: dict, work: Path) -> dict:
    """The database and its matter; returns the plan the simulated users read (users, event ids, names)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    _step("migrate, collectstatic, load_demo")
    run([*manage, "migrate", "--verbosity", "0"], env, "migrate")
    run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env, "collectstatic")
    run([*manage, "load_demo", "--user", "paralegal", "--password", PASSWORD], env, "load_demo")
    _step(f"seed: {args.events:,} events by import, {EXHIBITS} exhibits, {args.editors} editors")
    plan_path = work / "plan.json"
    run([sys.executable, __file__, "--seed", str(plan_path), "--events", str(args.events),
         "--editors", str(args.editors)], env, "seed")  # fmt: skip
    # The planner's statistics as a deployment has them after autovacuum, not as a bulk import leaves them.
    psql_db = ["psql", env["DATABASE_URL"].split("?")[0], "-qc", "analyze"]
    subprocess.run(psql_db, check=True)
    plan = json.loads(plan_path.read_text())
    _step(f"matter {plan['matter']}: {plan['counts']}")
    return plan


def _serve(args, env: dict, procs: Processes) -> str:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for i in range(args.db_workers):
        # nice execs the worker: the pid whose CPU is counted stays the worker's
        nice = ["nice", "-n", str(args.worker_nice)] if args.worker_nice else []
        procs.start(f"db_worker-{i + 1}", [*nice, *manage, "db_worker", "--queue-name", "*"], env)
    port = free_port()
    procs.start("gunicorn", [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                {**env, "BIND": f"127.0.0.1:{port}"})  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    wait_for(f"{host}/healthz", procs)
    _step(f"gunicorn on {host}: {args.web_workers} workers x {args.web_threads} threads; {args.db_workers} db_workers")
    return host


def _quiet(wait: int, threshold: float = 0.25) -> float:
    """How busy the CPUs were (others' work: nothing of this run is active) over 5 s before the load, after waiting
    up to `wait` seconds for that to fall under `threshold`."""
    deadline = time.monotonic() + wait
    while True:
        before = machine_busy()
        time.sleep(5)
        after = machine_busy()
        busy = (after[0] - before[0]) / max(1, after[1] - before[1])
        if busy < threshold or time.monotonic() >= deadline:
            return busy
        _step(f"the CPUs are {busy:.0%} busy with other work; waiting for them to quieten")


def _load(args, env: dict, work: Path, procs: Processes, host: str) -> tuple[dict, dict]:
    """Run the simulated users; their figures, and the CPU each part used during the mix."""
    out, mark = work / "locust.json", work / "mix-started"
    _step(f"locust: {args.users} users at {args.spawn_rate}/s, then {args.seconds} s of the mix")
    locust = procs.start("locust", [
        sys.executable, str(BENCH / "locustfile.py"), "--host", host, "--plan", str(work / "plan.json"),
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--seconds", str(args.seconds),
        "--wait", args.wait, "--out", str(out), "--mark", str(mark),
    ], env)  # fmt: skip
    groups = {
        group: [proc for name, proc in procs.started if name.split("-")[0] == group]
        for group in ("gunicorn", "s3", "db_worker")
    }
    while not mark.exists():
        procs.check_alive()
        time.sleep(0.2)
    _step("all logged in; the mix runs")
    dbname = env["DATABASE_URL"].split("?")[0].rsplit("/", 1)[1]
    cpu_before = {name: sum(cpu_seconds(p) for p in group) for name, group in groups.items()}
    backends_before = backends_cpu(dbname)
    busy_before, started = machine_busy(), time.monotonic()
    while locust.poll() is None:
        for name, proc in procs.started:
            if name != "locust" and proc.poll() is not None:
                raise RuntimeError(f"{name} exited during the run:\n{procs.tail(name)}")
        if time.monotonic() - started > args.seconds + 180:
            raise RuntimeError("locust did not finish")
        time.sleep(0.5)
    elapsed, busy_after = time.monotonic() - started, machine_busy()
    cpu = {name: sum(cpu_seconds(p) for p in group) - cpu_before[name] for name, group in groups.items()}
    # Backends that ended during the mix are not counted (with persistent connections, few do): a floor.
    backends_after = backends_cpu(dbname)
    cpu["postgres"] = sum(after - backends_before.get(pid, 0.0) for pid, after in backends_after.items())
    cpu["postgres_backends"] = len(backends_after)
    if locust.returncode != 0 or not out.exists():
        raise RuntimeError(f"locust failed ({locust.returncode}):\n{procs.tail('locust', 60)}")
    result = json.loads(out.read_text())
    cpu["locust"] = result["cpu_seconds"]
    cpu["machine_busy"] = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
    busy_seconds = (busy_after[0] - busy_before[0]) / os.sysconf("SC_CLK_TCK")
    cpu["others"] = busy_seconds - sum(cpu[k] for k in ("gunicorn", "db_worker", "postgres", "s3", "locust"))
    cpu["available"] = elapsed * (os.cpu_count() or 1)
    return result, cpu


RESULTS_HEADER = """# Benchmark and load test results

Each section is one run, appended by the benchmark named in its title. A section titled "N users, 60 s" is a run of
`bench/load_test.py` (see its docstring): simulated paralegals against gunicorn on PostgreSQL, with the evidence in an
S3 store (moto's server) or a local folder, everything on one machine's loopback. Its targets: no failed request;
p95 <= 500 ms for the pages and for the edit's save. Figures depend on the machine and on what else ran on it; each
section says how busy its CPUs were.
"""


def _stored(env: dict, work: Path) -> str:
    """Where the evidence went: the objects in the bucket, and the files in the local media folder."""
    scratch = work / "media" / "tmp"  # files being taken in are spooled there (evidence.files), on any storage
    media = [f for f in (work / "media").rglob("*") if f.is_file() and scratch not in f.parents]
    local = f"{len(media)} files in the local media folder"
    if not env.get("STORAGE_S3_BUCKET"):
        return local
    import boto3

    client = boto3.client("s3", endpoint_url=env["STORAGE_S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    count = size = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=env["STORAGE_S3_BUCKET"]):
        count += page.get("KeyCount", 0)
        size += sum(obj["Size"] for obj in page.get("Contents", []))
    return f"{count} objects ({size / 1e6:.1f} MB) in the bucket after the run, {local}"


def _slowest(log: Path, count: int = 8) -> list[str]:
    rows = []
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        parts = line.split()
        for i, part in enumerate(parts):
            if part.endswith("ms") and i >= 3 and parts[i - 1].isdigit():
                with contextlib.suppress(ValueError):
                    rows.append((float(part[:-2]), " ".join(parts[i - 3 : i + 1])))
                break
    return [text for _, text in sorted(rows, reverse=True)[:count]]


def _version(name: str) -> str:
    import importlib.metadata

    return importlib.metadata.version(name)


def _code() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "evidence", "casetimeline",
                            "deploy", "templates", "static"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    changed = len(dirty.stdout.splitlines())
    return f"{head.stdout.strip()}" + (f" with {changed} uncommitted changed files of the app" if changed else "")


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def _pg_version() -> str:
    proc = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"],
                          capture_output=True, text=True)  # fmt: skip
    return proc.stdout.strip().split()[0] if proc.stdout.strip() else "?"


if __name__ == "__main__":
    sys.exit(main())
