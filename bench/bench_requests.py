"""Benchmark: the web server's CPU time per request, for each kind of request the load test sends, in one process.

    .venv/bin/python bench/bench_requests.py [--sizes 100 10000] [--repeat 5] [--rounds 2] [--against PATH]
        [--work DIR] [--profile KIND] [--record NOTE]

Per size, a PostgreSQL database on 127.0.0.1:5432 is built as bench/load_test.py builds its own: migrate,
collectstatic, `load_demo`, then the demo matter grown by N events through the importer (history and hash chain
included), 30 exhibits and 10 editors (load_test.py --seed), and ANALYZE. A child process then runs the app with the
production settings (DEBUG off: cached templates, hashed static files, the real password hasher), logs in through the
login form as an editor and sends, through Django's test Client with CSRF checks on, each request bench/locustfile.py
sends, timing each with time.process_time(): the CPU a gunicorn worker would spend on it (the database's own CPU is
not in it, but measured apart: the CPU of the PostgreSQL backend serving the child's connection, summed over each
kind's requests; wall time is not used, as the machine is shared). Each kind is sent once to warm up, then --repeat
times per round; the figure is the median over all rounds (for a kind sent with several variants, the mean of the
variants' medians):

  login: page, login: submit   the log-in form and its password check (once per user in the load test)
  timeline                      /m/<slug>/ with 8 combinations of the filters the simulated paralegals use
  search                        /m/<slug>/?q=… with 6 of the load test's search terms, two with filters
  event page, edit: form        an event's page and its edit form
  edit: save                    the edit form sent back with one field changed and a reason (a new version)
  upload: page, upload: files   the upload page; one new 3-page PDF sent as the page's script sends it
  export: page, export: start   the export page; a CSV export of a year and an issue started
  export: status                the job's status as the export page polls it (?format=json)

"mix" is the mean over these, weighted by how often the load test of 2026-11-30 08:56 (bench/RESULTS.md) sent each:
the figure to compare with gunicorn's CPU per request there (58 ms). Logging in is left out of it (a phase of its
own there). The export's download is not measured: exports are queued for a worker (TASKS_BACKEND=database) that this
benchmark does not run, so "export: start" and "export: status" are the web's part only. Evidence goes to a local
folder, not to the load test's S3 endpoint. Uploaded documents are deleted (soft) after each round, so every round
and every tree meets the same matter.

--against PATH measures another checkout of the app too (a worktree of main, say) against the same databases, the
rounds interleaved (this tree, then PATH, then this tree…) so that others' load on the machine falls on both alike;
the table gives both and their ratio. --work DIR keeps the databases and their plans there for the next run (drop
them with `dropdb`); without it they are dropped at the end. --profile KIND prints cProfile's view (in CPU time) of
one request of that kind, at the first size, instead. --record appends the table and the machine's load to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
PASSWORD = "load-test-password-4821"  # load_test.PASSWORD, which load_test.py --seed gives the editors
# How many of each request the load test of 2026-11-30 08:56 sent in its 60 s (954 in all; 24 downloads not measured).
LOAD_TEST_COUNTS = {
    "timeline": 217, "search": 72, "event page": 245, "edit: form": 105, "edit: save": 102, "upload: page": 36,
    "upload: files": 36, "export: page": 26, "export: start": 26, "export: status": 65,
}  # fmt: skip
KINDS = ["login: page", "login: submit", *LOAD_TEST_COUNTS]
LOAD_TEST_CPU_MS = 58
FORM = "application/x-www-form-urlencoded"


# The child: one tree's code, one database ---------------------------------------------------------------------------


class Requests:
    """The load test's requests against one tree's code and one database, each kind's CPU time recorded."""

    TIMELINE = [
        {},
        {"from": "2021", "to": "2022"},
        {"kind": ["policy_edit", "court_filing"]},
        {"issue": [0]},
        {"from": "Jan 2023", "to": "Dec 2023", "issue": [1]},
        {"page": 3},
        {"actor": [3], "status": ["disputed"]},
        {"from": "2019-03-01", "key": "on", "page": 2},
    ]  # issue and actor: their index in the plan's names
    SEARCH = [
        {"q": "consent"},
        {"q": "privacy policy"},
        {"q": "opt-out"},
        {"q": "InMail"},
        {"q": "declaration", "from": "2022", "to": "2023"},
        {"q": "training", "issue": [2]},
    ]

    def __init__(self, plan: dict):
        import random

        from django.test import Client

        self.plan = plan
        self.base = f"/m/{plan['matter']}"
        self.rng = random.Random(14)
        self.client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
        # One client for the log-in page, its cookies dropped before each request: a new Client is a new WSGI
        # handler, whose middleware is loaded again (WhiteNoise scanning every static file: 80 ms), which a
        # server does once per process.
        self._anonymous = Client(HTTP_HOST="127.0.0.1")
        self.figures: dict[str, dict] = {}
        self.uploaded: list[int] = []
        self.jobs: list[str] = []

    def anonymous(self):
        self._anonymous.cookies.clear()
        return self._anonymous

    def params(self, params: dict) -> dict:
        names = {"issue": self.plan["issues"], "actor": self.plan["actors"]}
        return {k: [names[k][i] for i in v] if k in names else v for k, v in params.items()}

    def record(self, kind: str, variant: int, ms: float) -> None:
        self.figures.setdefault(kind, {"samples": {}, "queries": None})["samples"].setdefault(variant, []).append(ms)

    def check(self, response, status: int, kind: str):
        if response.status_code != status:
            raise SystemExit(f"{kind}: HTTP {response.status_code}, expected {status}")
        return response

    def get(self, kind: str, url: str, params=None, client=None):
        return lambda: self.check((client or self.client).get(url, params or {}), 200, kind)

    def forms(self, url: str, field: str, kind: str) -> list[tuple[str, str]]:
        from html_forms import Forms

        page = self.check(self.client.get(url), 200, kind)
        return Forms(page.content.decode()).with_field(field) or []

    def log_in(self, *, timed: bool = True) -> None:
        """The log-in form as a user sends it; the password hasher's cost is the production one."""
        self.client.cookies.pop("sessionid", None)
        fields = dict(self.forms("/accounts/login/", "username", "login: page"))
        fields.update(username=self.plan["users"][0], password=PASSWORD, next="/")
        start = time.process_time()
        response = self.client.post("/accounts/login/", fields)
        spent = (time.process_time() - start) * 1000
        self.check(response, 302, "login: submit")
        if timed:
            self.record("login: submit", 0, spent)

    def sends(self, kind: str, i: int) -> list:
        """(variant, send) pairs for the i-th repetition of `kind`; what a send needs first (a form) is fetched here,
        untimed."""

        events, base = self.plan["event_ids"], self.base
        event = events[(i * 37) % len(events)]
        simple = {
            "login: page": lambda: self.get(kind, "/accounts/login/", client=self.anonymous()),
            "event page": lambda: self.get(kind, f"{base}/events/{event}/"),
            "edit: form": lambda: self.get(kind, f"{base}/events/{event}/edit"),
            "upload: page": lambda: self.get(kind, f"{base}/documents/upload"),
            "export: page": lambda: self.get(kind, f"{base}/export"),
            "export: status": lambda: self.get(kind, self.jobs[i % len(self.jobs)], {"format": "json"}),
            "edit: save": lambda: self.edit_save(event, i),
            "upload: files": self.upload,
            "export: start": lambda: self.export_start(2019 + i % 7),
        }
        if kind in simple:
            return [(0, simple[kind]())]
        variants = self.TIMELINE if kind == "timeline" else self.SEARCH
        return [(v, self.get(kind, f"{base}/", self.params(p))) for v, p in enumerate(variants)]

    def edit_save(self, pk: int, n: int):
        url = f"{self.base}/events/{pk}/edit"
        data = changed(self.forms(url, "version", "edit: form"), n)
        return lambda: self.check(self.client.post(url, _body(data), content_type=FORM), 302, "edit: save")

    def upload(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from load_test import text_pdf

        url = f"{self.base}/documents/upload"
        token = dict(self.forms(url, "csrfmiddlewaretoken", "upload: page"))["csrfmiddlewaretoken"]
        mark, terms = uuid.uuid4().hex, self.plan["search_terms"]
        pages = [[f"Ref {mark}", *(" ".join(self.rng.choice(terms) for _ in range(10)) for _ in range(45))]
                 for _ in range(3)]  # fmt: skip
        upload = SimpleUploadedFile(f"production-{mark[:8]}.pdf", text_pdf(pages), "application/pdf")
        headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}

        def send():
            response = self.client.post(url, {"csrfmiddlewaretoken": token, "files": [upload]}, headers=headers)
            results = self.check(response, 200, "upload: files").json()["results"]
            if [line["status"] for line in results] != ["stored"]:
                raise SystemExit(f"upload: files: {results}")
            self.uploaded.append(int(results[0]["url"].rstrip("/").split("/")[-1]))
            return response

        return send

    def export_start(self, year: int):
        url = f"{self.base}/export"
        fields = self.forms(url, "format", "export: page")
        data = [(k, v) for k, v in fields if k not in ("format", "issues", "date_from", "date_to", "key_only")]
        data += [("format", "csv"), ("date_from", f"Jan {year}"), ("date_to", f"Dec {year}"),
                 ("issues", self.plan["issues"][0])]  # fmt: skip

        def send():
            response = self.check(self.client.post(url, _body(data), content_type=FORM), 302, "export: start")
            self.jobs.append(response["Location"])
            return response

        return send

    def measure(self, repeat: int) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.log_in(timed=False)
        for kind in (k for k in KINDS if k != "login: submit"):
            for _variant, send in self.sends(kind, 0):
                send()  # warm: templates compiled, first queries prepared
            database_before, sent = backend_cpu(), 0
            for i in range(1, repeat + 1):
                for variant, send in self.sends(kind, i):
                    start = time.process_time()
                    send()
                    self.record(kind, variant, (time.process_time() - start) * 1000)
                    sent += 1
            # Summed over the kind's requests: the kernel counts a process's CPU in 10 ms ticks.
            self.figures[kind]["db_ms"] = (backend_cpu() - database_before) * 1000 / sent
            send = self.sends(kind, repeat + 1)[0][1]
            with CaptureQueriesContext(connection) as queries:
                send()
            self.figures[kind]["queries"] = len(queries)
        for _ in range(max(1, repeat // 3)):
            self.log_in()
        _delete_uploads(self.uploaded)
        return {kind: {"samples": f["samples"], "queries": f["queries"], "db_ms": f.get("db_ms")}
                for kind, f in self.figures.items()}  # fmt: skip

    def profile(self, kind: str) -> str:
        import cProfile
        import io
        import pstats

        self.log_in(timed=False)
        for _variant, send in self.sends(kind, 0):
            send()  # warm
        profiler = cProfile.Profile(time.process_time)  # CPU time: waits for the database are not this process's
        for _variant, send in self.sends(kind, 1):
            profiler.enable()
            send()
            profiler.disable()
        _delete_uploads(self.uploaded)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        return out.getvalue()


def backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this process's connection has used (its untimed work for the
    forms a send fetches first included: they are few, and the same in every tree)."""
    import psutil
    from django.db import connection

    connection.ensure_connection()
    return sum(psutil.Process(connection.connection.info.backend_pid).cpu_times()[:2])


def measure_child(plan_path: str, repeat: int, profile: str | None) -> dict:
    import django

    django.setup()
    requests = Requests(json.loads(Path(plan_path).read_text()))
    return {"profile": requests.profile(profile)} if profile else requests.measure(repeat)


def changed(fields: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """The edit form's fields with one changed as the load test's users change them (always a change: an unchanged
    form saves nothing, and would be cheaper), and a reason."""
    data = [(k, v) for k, v in fields if k != "reason"]
    change = ["description", "status", "key", "source_note"][n % 4]
    if change == "description":
        data = [(k, v + f" Checked against PX-{n % 30 + 1} p. 2.") if k == "description" else (k, v) for k, v in data]
    elif change == "status":
        statuses = ["undisputed", "disputed", "unverified"]
        current = dict(data).get("status")
        other = statuses[(statuses.index(current) + 1) % 3] if current in statuses else statuses[0]
        data = [(k, other) if k == "status" else (k, v) for k, v in data]
    elif change == "key":
        if any(k == "is_key" for k, _ in data):
            data = [(k, v) for k, v in data if k != "is_key"]
        else:
            data.append(("is_key", "on"))
    else:
        data = [(k, f"Complaint ¶ {n} ({uuid.uuid4().hex[:6]})") if k == "source_note" else (k, v) for k, v in data]
    data.append(("reason", f"date corrected from PX-{n % 30 + 1}"))
    return data


def _body(fields: list[tuple[str, str]]) -> str:
    """Fields as a browser posts a form (a name may repeat: the actors, the issues)."""
    from urllib.parse import urlencode

    return urlencode(fields)


def _delete_uploads(ids: list[int]) -> None:
    from django.contrib.auth import get_user_model

    from evidence.models import Document
    from evidence.services.documents import document_delete

    owner = get_user_model().objects.get(username="paralegal")
    for document in Document.objects.filter(pk__in=ids):
        document_delete(document=document, user=owner, reason="bench_requests: the round's uploads removed")


# The parent ----------------------------------------------------------------------------------------------------------


def psql(sql: str, *, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAqc", sql], check=check,
                          capture_output=True, text=True)  # fmt: skip


def environment(tree: Path, work: Path, dbname: str, label: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3_", "AWS_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "casetimeline.settings", "PYTHONPATH": str(tree),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}", "SECRET_KEY": "bench-requests-only",
        "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1", "TASKS_BACKEND": "database", "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(work / f"static-{label}"), "MEDIA_ROOT": str(work / "media"),
    })  # fmt: skip
    return env


def run(argv: list[str], env: dict, cwd: Path, what: str) -> str:
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def build(size: int, work: Path, dbname: str, trees: dict[str, Path]) -> Path:
    """The database of one size, and its plan (the load test's: users, event ids, issue and actor names)."""
    plan = work / f"plan-{size}.json"
    exists = psql(f"select 1 from pg_database where datname = '{dbname}'").stdout.strip() == "1"
    if plan.exists() and exists:
        print(f"[{time.strftime('%H:%M:%S')}] {size:,} events: reusing database {dbname}", flush=True)
    else:
        print(f"[{time.strftime('%H:%M:%S')}] {size:,} events: building database {dbname}", flush=True)
        psql(f"drop database if exists {dbname}")
        psql(f"create database {dbname}")
        env = environment(ROOT, work, dbname, "this")
        manage = [sys.executable, str(ROOT / "manage.py")]
        run([*manage, "migrate", "--verbosity", "0"], env, ROOT, "migrate")
        run([*manage, "load_demo", "--user", "paralegal", "--password", PASSWORD], env, ROOT, "load_demo")
        run([sys.executable, str(HERE / "load_test.py"), "--seed", str(plan), "--events", str(size)], env, ROOT,
            "seed")  # fmt: skip
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "analyze"], check=True)
    for label, tree in trees.items():
        if not (work / f"static-{label}" / "staticfiles.json").exists():
            env = environment(tree, work, dbname, label)
            run([sys.executable, str(tree / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"], env, tree,
                f"collectstatic ({label})")  # fmt: skip
    return plan


def child(tree: Path, label: str, work: Path, dbname: str, plan: Path, repeat: int, profile: str | None) -> dict:
    env = environment(tree, work, dbname, label)
    args = [sys.executable, str(Path(__file__).resolve()), "--child", str(plan), "--repeat", str(repeat)]
    out = run([*args, *(["--profile", profile] if profile else [])], env, tree, f"measurement ({label})")
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


def mix(figures: dict, measure: str = "cpu_ms") -> float:
    total = sum(LOAD_TEST_COUNTS.values())
    return sum((figures[kind][measure] or 0) * n for kind, n in LOAD_TEST_COUNTS.items()) / total


def merge(runs: list[dict]) -> dict:
    """Several rounds of one tree: every sample of a variant together, the median per variant, their mean."""
    merged = {}
    for kind in KINDS:
        samples: dict[str, list[float]] = {}
        for result in runs:
            for variant, values in result[kind]["samples"].items():
                samples.setdefault(variant, []).extend(values)
        merged[kind] = {
            "cpu_ms": statistics.fmean(statistics.median(v) for v in samples.values()),
            "queries": runs[-1][kind]["queries"],
            "db_ms": statistics.fmean(r[kind]["db_ms"] for r in runs)
            if runs[-1][kind].get("db_ms") is not None
            else None,
            "n": sum(len(v) for v in samples.values()),
        }
    return merged


def table(results: dict[int, dict[str, dict]], labels: list[str]) -> list[str]:
    sizes = list(results)
    head = ["request", "weight"]
    for size in sizes:
        head += [f"{label} CPU ms at {size:,}" for label in labels]
        if len(labels) == 2:
            head.append(f"{labels[0]} / {labels[1]} at {size:,}")
        head += [f"queries at {size:,} ({' / '.join(labels)})", f"PostgreSQL CPU ms at {size:,} ({' / '.join(labels)})"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in [*KINDS, "mix"]:
        cells = [kind, str(LOAD_TEST_COUNTS.get(kind, "—" if kind != "mix" else sum(LOAD_TEST_COUNTS.values())))]
        for size in sizes:
            values = []
            for label in labels:
                figures = results[size][label]
                value = mix(figures) if kind == "mix" else figures[kind]["cpu_ms"]
                values.append(value)
                cells.append(f"**{value:,.1f}**" if kind == "mix" else f"{value:,.1f}")
            if len(labels) == 2:
                cells.append(f"{values[0] / values[1]:.2f}")
            queries = [] if kind == "mix" else [str(results[size][label][kind]["queries"] or "—") for label in labels]
            cells.append(" / ".join(queries) or "")
            database = [mix(results[size][label], "db_ms") if kind == "mix" else results[size][label][kind]["db_ms"]
                        for label in labels]  # fmt: skip
            cells.append(" / ".join("—" if ms is None else f"{ms:,.1f}" for ms in database))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=5, help="timed requests of each kind (and variant) per round")
    parser.add_argument("--rounds", type=int, default=2, help="child processes per tree and size, interleaved")
    parser.add_argument("--against", type=Path, metavar="PATH", help="another checkout measured alike (e.g. main)")
    parser.add_argument("--label", default="this tree", help="this checkout's name in the table")
    parser.add_argument("--against-label", default="", help="PATH's name in the table (default: its folder's)")
    parser.add_argument("--work", type=Path, help="keep the databases and plans here between runs")
    parser.add_argument("--profile", choices=KINDS, help="print cProfile's view of one request of this kind")
    parser.add_argument("--record", metavar="NOTE", nargs="?", const="", help="append the run to bench/RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_child(args.child, args.repeat, args.profile)))
        return 0

    trees = {"this": ROOT}
    labels = {"this": args.label}
    if args.against:
        trees["against"] = args.against.resolve()
        labels["against"] = args.against_label or args.against.resolve().name
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="ct-bench-requests-"))
    work.mkdir(parents=True, exist_ok=True)
    databases = {size: f"ct_bench_requests_{size}" if args.work else f"ct_bench_requests_{os.getpid()}_{size}"
                 for size in args.sizes}  # fmt: skip
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    results: dict[int, dict[str, dict]] = {}
    try:
        for size in args.sizes:
            plan = build(size, work, databases[size], trees)
            if args.profile:
                for label, tree in trees.items():
                    print(f"--- {labels[label]}: {args.profile} at {size:,} events")
                    print(child(tree, label, work, databases[size], plan, 1, args.profile)["profile"])
                return 0
            runs: dict[str, list[dict]] = {label: [] for label in trees}
            for round_ in range(args.rounds):
                for label, tree in trees.items():
                    print(f"[{time.strftime('%H:%M:%S')}] {size:,} events: {labels[label]}, round {round_ + 1}",
                          flush=True)  # fmt: skip
                    runs[label].append(child(tree, label, work, databases[size], plan, args.repeat, None))
            results[size] = {labels[label]: merge(r) for label, r in runs.items()}
    finally:
        if not args.work:
            for name in databases.values():
                psql(f"drop database if exists {name} with (force)", check=False)
    uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    lines = table(results, list(labels.values()))
    print("\n".join(lines))
    if args.record is not None:
        record(args, lines, uptime_before, uptime_after, labels, trees)
    return 0


def _code(tree: Path) -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "evidence", "casetimeline", "templates"], cwd=tree,
                           capture_output=True, text=True)  # fmt: skip
    changed = len(dirty.stdout.splitlines())
    return head.stdout.strip() + (f" with {changed} uncommitted changed files of the app" if changed else "")


def record(args, lines: list[str], before: str, after: str, labels: dict, trees: dict) -> None:
    command = " ".join([".venv/bin/python", "bench/bench_requests.py", *map(shlex.quote, sys.argv[1:])])
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    code = "; ".join(f"{labels[k]}: {_code(tree)}" for k, tree in trees.items())
    text = [
        f"## {when} — bench_requests.py: CPU per request of the load test's kinds",
        "",
        *([args.record, ""] if args.record else []),
        f"Command: `{command}`",
        "",
        f"- Code: {code}",
        f"- Machine: {os.cpu_count()} CPUs; `uptime` before: {before}; after: {after}",
        f"- {args.rounds} rounds x {args.repeat} requests per kind and variant, per tree and size; CPU of the "
        "server's process (time.process_time), median per variant; \"mix\" weighted by the load test's counts "
        f"(gunicorn spent {LOAD_TEST_CPU_MS} ms per request of that mix at 08:56)",
        "",
        *lines,
        "",
    ]
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(text))
    print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
