"""A paralegal's day against a running Case Timeline, for locust.

Run by bench/load_test.py (locust's library API: a log-in phase, then the stats are reset and the mix runs with every
user logged in, figures written as JSON). Against a server of your own, with a plan file as load_test.py writes it:

    LOAD_TEST_PLAN=plan.json .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 \
        --headless -u 50 -r 10 -t 60s

Request names are "<category>: <step>" (or the category alone), so the stats group them by what the paralegal did:
timeline, search, event page, edit, upload, export. Every response is checked for what a user would notice (the
page, the redirect after a save, the stored files, the export's file); a redirect where a page was expected (to the
log-in page, say) is a failure, not a success.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import sys
import time
import uuid
from pathlib import Path

import gevent
from gevent.event import Event as GeventEvent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_forms import Forms  # the same form reading as bench_requests.py
from load_test import text_pdf  # the same PDF builder as the seed

PLAN: dict = {}
USERNAMES = iter(())
ALL_LOGGED_IN = GeventEvent()  # the mix waits for the log-in phase to end (set at once when run by locust itself)
LOGINS = {"done": 0}
TALLY = {
    "edits_saved": 0, "edit_conflicts": 0, "upload_files": 0, "upload_bytes": 0, "uploads_stored": 0,
    "exports_started": 0, "exports_failed": 0, "exports_running": 0, "export_ready_seconds": [], "export_formats": {},
}  # fmt: skip
WEIGHTS = {"timeline": 10, "event page": 8, "edit": 5, "search": 4, "upload": 2, "export": 1}
KINDS = ["setting_introduced", "setting_changed", "policy_edit", "help_page_edit", "user_communication",
         "internal_communication", "public_statement", "court_filing", "other"]  # fmt: skip
STATUSES = ["undisputed", "disputed", "unverified"]
REASONS = [
    "status checked against the complaint ¶ {n}", "date corrected from PX-{n}", "description completed from the "
    "deposition transcript p. {n}", "key fact per the partner's review", "actor confirmed in PX-{n} p. 2",
    "typo in the description", "status after the meet-and-confer of the {n}th",
]  # fmt: skip
EVENT_LINK = re.compile(r'href="/m/[^/"]+/events/(\d+)/"')


def load_plan(path: str) -> None:
    global USERNAMES
    PLAN.update(json.loads(Path(path).read_text()))
    USERNAMES = itertools.cycle(PLAN["users"])


if os.environ.get("LOAD_TEST_PLAN"):
    load_plan(os.environ["LOAD_TEST_PLAN"])
    ALL_LOGGED_IN.set()


def _unexpected(r) -> str:
    if r.status_code == 0:
        return f"no response: {r.error!r}"
    return f"HTTP {r.status_code}: {error_text(r.text)}" if r.status_code == 200 else f"HTTP {r.status_code}"


def error_text(html: str) -> str:
    found = re.findall(r'class="(?:message )?error"[^>]*>(.*?)</', html, re.S)
    text = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found if f.strip())
    return text[:200] or "the page came back without a saved result"


class Paralegal(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        # One connection per request, as nginx (deploy/nginx.conf, no upstream keepalive) sends them to gunicorn.
        # Kept alive, a connection idle for about gunicorn's keepalive (5 s, the longest think time here) can be
        # closed by gunicorn's gthread worker just as the next request arrives on it (it closes expired connections
        # after dispatching what its poll returned, unread data or not): a reset, which a browser retries on a new
        # connection and requests does not.
        self.client.headers["Connection"] = "close"
        self.rng = random.Random()
        self.base = f"/m/{PLAN['matter']}"
        self.seen: list[int] = []
        try:
            self.log_in(next(USERNAMES))
        finally:
            LOGINS["done"] += 1
        ALL_LOGGED_IN.wait()
        # Users are out of step once working: without this pause all of them would send their first request at the
        # same instant when the mix starts.
        gevent.sleep(self.wait_time())

    # Helpers -------------------------------------------------------------------------------------------------------

    def get_page(self, name: str, url: str, *, params=None, must_contain: str = "</html>"):
        """A page: 200 with the page's end; a redirect or an error page is a failure."""
        with self.client.get(url, params=params, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code == 0:
                r.failure(f"no response: {r.error!r}")
            elif r.status_code != 200:
                r.failure(f"HTTP {r.status_code}" + (f" to {r.headers.get('Location')}" if r.is_redirect else ""))
            elif must_contain not in r.text:
                r.failure(f"the page lacks {must_contain!r}")
            return r

    def post_form(self, name: str, url: str, data, *, expect_redirect: bool = True, **kwargs):
        with self.client.post(url, data=data, name=name, allow_redirects=False, catch_response=True, **kwargs) as r:
            if expect_redirect and r.status_code != 302:
                r.failure(_unexpected(r))
            return r

    def event_id(self) -> int:
        if self.seen and self.rng.random() < 0.7:
            return self.rng.choice(self.seen)
        return self.rng.choice(PLAN["event_ids"])

    def filters(self) -> dict:
        """A combination of the timeline's filters, as a paralegal narrows the timeline."""
        rng, params = self.rng, {}
        if rng.random() < 0.5:
            year = rng.randint(2018, 2025)
            params["from"] = rng.choice([str(year), f"Jan {year}", f"{year}-03-01"])
            if rng.random() < 0.7:
                params["to"] = rng.choice([str(year + rng.randint(0, 1)), f"Dec {year}"])
        if rng.random() < 0.35:
            params["kind"] = rng.sample(KINDS, rng.randint(1, 2))
        if rng.random() < 0.4 and PLAN["issues"]:
            params["issue"] = rng.sample(PLAN["issues"], 1)
        if rng.random() < 0.15 and PLAN["actors"]:
            params["actor"] = rng.sample(PLAN["actors"], 1)
        if rng.random() < 0.15:
            params["status"] = rng.sample(STATUSES, 1)
        if rng.random() < 0.15:
            params["key"] = "on"
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 4)
        return params

    def remember_events(self, html: str) -> None:
        found = [int(pk) for pk in EVENT_LINK.findall(html)]
        if found:
            self.seen = found[:100]

    # Log in ----------------------------------------------------------------------------------------------------------

    def log_in(self, username: str) -> None:
        page = self.get_page("login: page", "/accounts/login/", must_contain="csrfmiddlewaretoken")
        fields = dict(Forms(page.text).with_field("username") or [])
        fields.update(username=username, password=PLAN["password"], next="/")
        r = self.post_form("login: submit", "/accounts/login/", fields)
        if r.status_code == 302 and "login" in r.headers.get("Location", ""):
            r.failure(f"sent back to {r.headers['Location']}")

    # The mix ---------------------------------------------------------------------------------------------------------

    @task(WEIGHTS["timeline"])
    def timeline(self):
        r = self.get_page("timeline", f"{self.base}/", params=self.filters())
        self.remember_events(r.text)

    @task(WEIGHTS["search"])
    def search(self):
        params = {"q": self.rng.choice(PLAN["search_terms"])}
        if self.rng.random() < 0.3:
            params.update({k: v for k, v in self.filters().items() if k != "page"})
        r = self.get_page("search", f"{self.base}/", params=params)
        self.remember_events(r.text)

    @task(WEIGHTS["event page"])
    def event_page(self):
        self.get_page("event page", f"{self.base}/events/{self.event_id()}/", must_contain="<h1")

    @task(WEIGHTS["edit"])
    def edit(self):
        """Open the edit form (fresh, so it carries the event's current version), change something, give a reason,
        save. When another user saved first, the page says so and keeps this user's input: saved again, as they
        would after comparing."""
        pk = self.event_id()
        url = f"{self.base}/events/{pk}/edit"
        page = self.get_page("edit: form", url, must_contain='name="version"')
        fields = Forms(page.text).with_field("version")
        if page.status_code != 200 or fields is None:
            return
        data = self.changed(fields)
        for _attempt in range(3):
            with self.client.post(url, data=data, name="edit: save", allow_redirects=False, catch_response=True) as r:
                if r.status_code == 302:
                    TALLY["edits_saved"] += 1
                    break
                if r.status_code == 200 and "Someone else saved this event" in r.text:
                    TALLY["edit_conflicts"] += 1
                    data = Forms(r.text).with_field("version")  # the form now expects their version
                    continue
                r.failure(_unexpected(r))
                return
        if r.status_code == 302:
            self.get_page("event page", r.headers["Location"], must_contain="<h1")

    def changed(self, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
        rng = self.rng
        data = [(k, v) for k, v in fields if k != "reason"]
        change = rng.choice(["description", "status", "key", "source_note"])
        if change == "description":
            data = [(k, v + f" Checked against PX-{rng.randint(1, 30)} p. {rng.randint(1, 3)}.")
                    if k == "description" else (k, v) for k, v in data]  # fmt: skip
        elif change == "status":
            current = dict(data).get("status")
            other = rng.choice([s for s in STATUSES if s != current])
            data = [(k, other) if k == "status" else (k, v) for k, v in data]
        elif change == "key":
            if any(k == "is_key" for k, _ in data):
                data = [(k, v) for k, v in data if k != "is_key"]
            else:
                data.append(("is_key", "on"))
        else:
            data = [(k, f"Complaint ¶ {rng.randint(1, 120)}") if k == "source_note" else (k, v) for k, v in data]
        data.append(("reason", rng.choice(REASONS).format(n=rng.randint(2, 29))))
        return data

    @task(WEIGHTS["upload"])
    def upload(self):
        page = self.get_page("upload: page", f"{self.base}/documents/upload", must_contain="upload-form")
        token = dict(Forms(page.text).with_field("csrfmiddlewaretoken") or []).get("csrfmiddlewaretoken", "")
        files = [self.evidence_file() for _ in range(self.rng.choice([1, 1, 1, 2, 3]))]
        with self.client.post(
            f"{self.base}/documents/upload", data={"csrfmiddlewaretoken": token}, files=[("files", f) for f in files],
            headers={"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}, name="upload: files",
            catch_response=True,
        ) as r:  # fmt: skip
            TALLY["upload_files"] += len(files)
            TALLY["upload_bytes"] += sum(len(f[1]) for f in files)
            if r.status_code != 200:
                r.failure(_unexpected(r) if r.status_code == 0 else f"HTTP {r.status_code}: {r.text[:200]}")
                return
            results = r.json().get("results", [])
            stored = [line for line in results if line["status"] == "stored"]
            TALLY["uploads_stored"] += len(stored)
            if len(stored) < len(files):
                r.failure(f"{len(stored)} of {len(files)} files stored: {[x['text'] for x in results]}")

    def evidence_file(self) -> tuple[str, bytes, str]:
        """A unique exhibit: mostly PDFs of a few pages (one in six the weight of a scan), some e-mails and notes."""
        rng, mark = self.rng, uuid.uuid4().hex
        line = lambda: " ".join(rng.choice(PLAN["search_terms"]) for _ in range(10))  # noqa: E731
        pick = rng.random()
        if pick < 0.7:
            pages = [[f"Ref {mark}", *(line() for _ in range(45))] for _ in range(rng.randint(1, 6))]
            padding = rng.randint(500_000, 2_000_000) if rng.random() < 1 / 6 else 0
            return f"production-{mark[:8]}.pdf", text_pdf(pages, padding=padding), "application/pdf"
        if pick < 0.85:
            body = "\r\n".join(line() for _ in range(30))
            eml = (f"From: Dana Okafor <dana@example.com>\r\nTo: counsel@example.com\r\nSubject: Privacy settings "
                   f"{mark[:6]}\r\nDate: Tue, 13 Aug 2024 09:{rng.randint(10, 59)}:00 -0700\r\nMessage-ID: <{mark}"
                   f"@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")  # fmt: skip
            return f"email-{mark[:8]}.eml", eml.encode(), "message/rfc822"
        text = f"Interview notes {mark}\n\n" + "\n".join(line() for _ in range(rng.randint(20, 200)))
        return f"notes-{mark[:8]}.txt", text.encode(), "text/plain"

    @task(WEIGHTS["export"])
    def export(self):
        """The export page, the options of a chronology (mostly of a filtered view), the job polled as its page's
        progress bar does, then the file downloaded."""
        rng = self.rng
        page = self.get_page("export: page", f"{self.base}/export", must_contain='name="format"')
        fields = Forms(page.text).with_field("format")
        if fields is None:
            return
        fmt = rng.choice(["pdf", "pdf", "csv", "csv", "xlsx", "docx"])
        data = [(k, v) for k, v in fields if k not in ("format", "issues", "date_from", "date_to", "key_only")]
        data.append(("format", fmt))
        narrowed = fmt == "pdf" or rng.random() < 0.6  # a court-ready PDF is of a view; lists are often whole
        if narrowed:
            year = rng.randint(2019, 2025)
            data += [("date_from", f"Jan {year}"), ("date_to", f"Dec {year}")]
            if PLAN["issues"]:
                data.append(("issues", rng.choice(PLAN["issues"])))
        r = self.post_form("export: start", f"{self.base}/export", data)
        if r.status_code != 302:
            return
        TALLY["exports_started"] += 1
        TALLY["export_formats"][fmt] = TALLY["export_formats"].get(fmt, 0) + 1
        job_url, started = r.headers["Location"], time.monotonic()
        TALLY["exports_running"] += 1
        try:
            while True:
                with self.client.get(job_url, params={"format": "json"}, name="export: status", catch_response=True,
                                     allow_redirects=False) as s:  # fmt: skip
                    status = s.json() if s.status_code == 200 else {}
                    if s.status_code != 200:
                        s.failure(_unexpected(s))
                        return
                    if status["state"] == "failed":
                        s.failure(f"the export failed: {status['message']}")
                        TALLY["exports_failed"] += 1
                        return
                if status["state"] == "done":
                    break
                gevent.sleep(1)
            TALLY["export_ready_seconds"].append(time.monotonic() - started)
        finally:
            TALLY["exports_running"] -= 1
        with self.client.get(status["download_url"], name="export: download", catch_response=True,
                             allow_redirects=False) as d:  # fmt: skip
            if d.status_code != 200 or not d.content:
                d.failure(
                    _unexpected(d) if d.status_code == 0 else f"HTTP {d.status_code}, {len(d.content or b'')} bytes"
                )


# Run by bench/load_test.py -------------------------------------------------------------------------------------------

ORDER = ["timeline", "search", "event page", "edit: form", "edit: save", "upload: page", "upload: files",
         "export: page", "export: start", "export: status", "export: download"]  # fmt: skip


def rows(stats) -> list[dict]:
    entries = [e for e in stats.entries.values() if e.num_requests or e.num_failures]
    entries.sort(key=lambda e: (ORDER.index(e.name) if e.name in ORDER else 99, e.name))
    return [row(e) for e in entries]


def row(entry) -> dict:
    n = entry.num_requests
    return {
        "name": entry.name,
        "requests": n,
        "failures": entry.num_failures,
        "median": entry.median_response_time if n else None,
        "p95": entry.get_response_time_percentile(0.95) if n else None,
        "max": round(entry.max_response_time) if n else None,
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    from locust.env import Environment
    from locust.stats import StatsEntry

    parser = argparse.ArgumentParser(description="the load test's locust run (see bench/load_test.py)")
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--wait", default="1-5")
    parser.add_argument("--out", required=True)
    parser.add_argument("--mark", help="a file touched when the mix starts")
    args = parser.parse_args()
    load_plan(args.plan)
    low, high = (float(x) for x in args.wait.split("-"))
    Paralegal.wait_time = between(low, high)

    env = Environment(user_classes=[Paralegal], host=args.host, events=events)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    deadline = time.monotonic() + 300
    while LOGINS["done"] < args.users:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {LOGINS['done']} of {args.users} users logged in within 300 s")
        gevent.sleep(0.1)
    login = rows(env.stats)
    login_exceptions = list(runner.exceptions.values())
    env.stats.reset_all()
    runner.exceptions.clear()
    if args.mark:
        Path(args.mark).touch()
    cpu_start = _cpu()
    ALL_LOGGED_IN.set()
    gevent.sleep(args.seconds)

    mix = rows(env.stats)  # at the end of the window: what is still in flight is not counted
    total = StatsEntry(env.stats, "total", "")
    for entry in env.stats.entries.values():
        total.extend(entry)
    result = {
        "users": args.users,
        "seconds": args.seconds,
        "spawn_rate": args.spawn_rate,
        "wait": args.wait.replace("-", "–"),
        "weights": ", ".join(f"{k} {v}" for k, v in WEIGHTS.items()),
        "login": login,
        "mix": mix,
        "total": row(total),
        "rps": total.num_requests / args.seconds,
        "cpu_seconds": _cpu() - cpu_start,
        "errors": [
            {"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
            for e in env.stats.errors.values()
        ],
        "exceptions": [{"count": e["count"], "msg": e["msg"]} for e in [*login_exceptions,
                                                                          *runner.exceptions.values()]],
        "edits": {"saved": TALLY["edits_saved"], "conflicts": TALLY["edit_conflicts"]},
        "uploads": {"files": TALLY["upload_files"], "bytes": TALLY["upload_bytes"],
                    "stored": TALLY["uploads_stored"]},
        "exports": {"started": TALLY["exports_started"], "failed": TALLY["exports_failed"],
                    "unfinished": TALLY["exports_running"], "ready_seconds": TALLY["export_ready_seconds"],
                    "formats": ", ".join(f"{k} {v}" for k, v in sorted(TALLY["export_formats"].items()))},
    }  # fmt: skip
    runner.quit()
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
