"""A db_worker killed mid-export (as the OOM killer or a lost host would): the job page says the export failed and
why, the job is not left running, and neither is its task. Real processes on a throwaway database of their own."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.storage import process_env

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 80  # a PDF that takes a few seconds to lay out: the worker is killed in the middle
STALE_AFTER = 2  # seconds, so the test need not wait the production default

SETUP = """
EVENTS = {events}
from evidence.exporting import ExportOptions, export_job_start
from tests.factories import UserFactory, make_event, make_matter
user = UserFactory(username="kim")
matter = make_matter(owner=user, slug="large")
for i in range(EVENTS):
    title = f"Event {{i}} " + "deposition transcript " * 20
    make_event(matter, date=f"{{1 + i % 28}} Jan {{1990 + i // 28}}", title=title)
print(export_job_start(matter=matter, user=user, options=ExportOptions(format="pdf")).pk)
"""

JOB_PAGE = """
import json
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.conf import settings
from django_tasks_db.models import DBTaskResult
setup_test_environment()
override_settings(STORAGES={{
    **settings.STORAGES,
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}).enable()  # no collectstatic for this throwaway site
client = Client()
client.force_login(get_user_model().objects.get(username="kim"))
url = reverse("export_job", args=["large", {pk}])
status = client.get(url + "?format=json").json()
page = client.get(url).content.decode()
task_error = DBTaskResult.objects.get().exception_class_path
print(json.dumps({{"status": status, "page": page, "task_error": task_error}}))
"""


class ThrowawayDatabase:
    """A database of the suite's kind (SQLite file or PostgreSQL) that the worker subprocess and the test share."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            import psycopg

            params = connection.settings_dict
            self.name = f"worker_death_{uuid.uuid4().hex[:8]}"
            self.server = dict(host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432, user=params["USER"])
            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
            host = self.server["host"]
            self.url = f"postgres://{self.server['user']}{password}@{host}:{self.server['port']}/{self.name}"
        else:
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def row(self, sql: str):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname=self.name, autocommit=True, **self.server) as db:
                return db.execute(sql).fetchone()
        with sqlite3.connect(self.path) as db:
            return db.execute(sql).fetchone()

    def drop(self):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def throwaway(tmp_path):
    database = ThrowawayDatabase(tmp_path)
    yield database
    database.drop()


def manage_env(database, tmp_path, settings) -> dict:
    """The worker's environment: its own database, and the test's storage (the bucket, with TEST_STORAGE=s3)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="casetimeline.settings", SECRET_KEY="worker-death-test", DEBUG="false",
        DATABASE_URL=database.url, TASKS_BACKEND="database",
        JOB_STALE_AFTER=str(STALE_AFTER), SECURE_SSL_REDIRECT="false", XDG_CACHE_HOME=str(tmp_path / "cache"),
    )  # fmt: skip
    env.update(process_env(settings))
    return env


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_export_whose_worker_is_killed_ends_failed_with_the_reason(throwaway, tmp_path, settings):
    env = manage_env(throwaway, tmp_path, settings)
    manage(env, "migrate", "-v0")
    job_id = int(manage(env, "shell", "--no-imports", "-c", SETUP.format(events=EVENTS)).split()[-1])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay", "--no-reload",
         "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        # Started, and knowing how many events its PDF lays out: the worker is in the middle of the export.
        state, progress, total = wait_for(
            lambda: throwaway.row(f"SELECT state, progress, total FROM evidence_job WHERE id = {job_id} AND total > 0"),
            timeout=30,
            what="the worker to start the export",
        )
        assert (state, total) == ("running", EVENTS)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and any section renderers it forked
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()

    assert throwaway.row(f"SELECT state FROM evidence_job WHERE id = {job_id}") == ("running",)
    assert throwaway.row("SELECT status FROM django_tasks_database_dbtaskresult") == ("RUNNING",)
    time.sleep(STALE_AFTER + 0.5)

    shown = json.loads(manage(env, "shell", "--no-imports", "-c", JOB_PAGE.format(pk=job_id)))

    status = shown["status"]
    assert status["state"] == "failed"
    assert status["message"].startswith("The worker running this export stopped (no progress since ")
    assert status["message"].endswith("start the export again.")
    assert not status["download_url"]
    assert "The worker running this export stopped" in shown["page"]
    assert throwaway.row(f"SELECT state FROM evidence_job WHERE id = {job_id}") == ("failed",)
    assert throwaway.row("SELECT status FROM django_tasks_database_dbtaskresult") == ("FAILED",)
    assert shown["task_error"] == "evidence.services.jobs.WorkerLost"
