"""OCR in a real db_worker process: the document's page shows the pages done while it runs, and a worker killed in the
middle leaves the job failed with the reason on that page (its OCR process goes with it). Real processes on a
throwaway database of their own, as tests/test_worker_death.py."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.test_worker_death import ROOT, STALE_AFTER, manage, manage_env, throwaway, wait_for  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (tesseract-ocr)")

PAGES = 8

SETUP = """
import io
from evidence.services.documents import document_intake
from tests.factories import UserFactory, make_matter
from tests.scans import scanned_pdf
user = UserFactory(username="kim")
matter = make_matter(owner=user, slug="scans")
pages = [[f"Scanned page {{n}} of the production", "Data for Generative AI Improvement"] for n in range(1, {pages} + 1)]
document = document_intake(matter=matter, user=user, file=io.BytesIO(scanned_pdf(pages)), filename="production.pdf",
                           reason="upload").document
print(document.pk)
"""

# Renders the document's page as its user sees it, once the job is in the state `wanted` asks for (a throwaway site:
# no collectstatic).
PAGE = """
import json, time
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
from django.urls import reverse
from evidence.models import Job
setup_test_environment()
override_settings(STORAGES={{**settings.STORAGES,
                  "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}).enable()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    job = Job.objects.filter(kind="ocr").first()
    if job and {wanted}:
        break
    time.sleep(0.05)
client = Client()
client.force_login(get_user_model().objects.get(username="kim"))
before = job.progress
page = client.get(reverse("document_detail", args=["scans", {pk}])).content.decode()
job.refresh_from_db()  # the worker goes on while the page renders: it showed a progress from `before` to this one
print(json.dumps({{"page": page, "state": job.state, "before": before, "progress": job.progress, "total": job.total,
                  "message": job.message}}))
"""

MIDWAY = "job.state == 'running' and 0 < job.progress < job.total"


def start(args, env, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, start_new_session=True, **kwargs)


def worker(env):
    return start(["db_worker", "--queue-name", "*", "--no-startup-delay", "--no-reload", "--interval", "0.1"], env,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def page_when(env, pk, wanted):
    return start(["shell", "--no-imports", "-c", PAGE.format(pk=pk, wanted=wanted)], env, stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE, text=True)  # fmt: skip


def shown(process) -> dict:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return json.loads(out.splitlines()[-1])


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_the_page_shows_the_pages_done_while_ocr_runs_then_the_text(throwaway, tmp_path, settings):  # noqa: F811
    env = manage_env(throwaway, tmp_path, settings)
    manage(env, "migrate", "-v0")
    pk = int(manage(env, "shell", "--no-imports", "-c", SETUP.format(pages=PAGES)).split()[-1])
    midway = page_when(env, pk, MIDWAY)  # waiting before the worker starts, so it cannot miss the middle
    after = page_when(env, pk, "job.state in ('done', 'failed')")
    running = worker(env)
    try:
        during = shown(midway)
        done = shown(after)
    finally:
        stop(running)
        stop(midway)
        stop(after)

    assert during["total"] == PAGES and 0 < during["before"] < PAGES
    seen = {f"page {k} of {PAGES} done; search finds its words once it is done." for k in
            range(during["before"], during["progress"] + 1)}  # fmt: skip
    assert any(text in during["page"] for text in seen), during["page"]
    assert '<meta http-equiv="refresh" content="10">' in during["page"]
    assert done["state"] == "done", done["message"]
    assert done["message"].endswith(f"characters from {PAGES} pages.")
    assert done["message"] in done["page"] and "OCR'd copy (PDF with its text)" in done["page"]
    text = throwaway.row(f"SELECT extracted_text FROM evidence_document WHERE id = {pk}")[0]
    assert len(text.split("\n\f")) == PAGES and f"Scanned page {PAGES} of the production" in text


def test_a_worker_killed_mid_ocr_leaves_the_job_failed_with_the_reason(throwaway, tmp_path, settings):  # noqa: F811
    env = manage_env(throwaway, tmp_path, settings)
    manage(env, "migrate", "-v0")
    pk = int(manage(env, "shell", "--no-imports", "-c", SETUP.format(pages=PAGES)).split()[-1])
    midway = page_when(env, pk, MIDWAY)
    running = worker(env)
    try:
        shown(midway)
        os.killpg(running.pid, signal.SIGKILL)  # the worker; its OCR process, in a group of its own, dies with it
        running.wait(timeout=10)
    finally:
        stop(running)
        stop(midway)
    ocr_left = wait_for(
        lambda: not subprocess.run(["pgrep", "-f", f"{tmp_path}"], capture_output=True).stdout or "gone",
        timeout=10,
        what="the OCR process to end with its worker",
    )
    assert ocr_left == "gone" or ocr_left is True
    assert throwaway.row("SELECT state FROM evidence_job WHERE kind = 'ocr'") == ("running",)
    time.sleep(STALE_AFTER + 0.5)

    page = shown(page_when(env, pk, "True"))

    assert page["state"] == "failed"
    assert page["message"].startswith("The worker running this OCR stopped (no progress since ")
    assert page["message"].endswith("start the OCR again.")
    assert page["message"] in page["page"] and "Run OCR again" in page["page"]
