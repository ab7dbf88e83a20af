"""Job rows (evidence/services/jobs.py) name the files people upload; their text follows the one text rule. A job whose
worker stopped is failed with the reason; a live or merely waiting one is left alone."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from evidence.models import Job
from evidence.services.jobs import job_create, job_fail, job_progress, job_start

pytestmark = pytest.mark.django_db


def test_a_job_keeps_an_uploaded_file_name_cleaned(matter, user):
    # PostgreSQL refuses a NUL in a JSON column as in text: uncleaned, this name would fail the upload.
    job = job_create(matter=matter, user=user, kind=Job.Kind.IMPORT_EVENTS, options={"name": "facts\x00\x01.csv"},
                     message="Queued: facts\x00\x01.csv")  # fmt: skip
    job.refresh_from_db()
    assert job.options["name"] == "facts\ufffd.csv" and job.message == "Queued: facts\ufffd.csv"
    job_fail(job=job, message="“facts\x00\x01.csv” is not a CSV, XLSX or JSON file.")
    job.refresh_from_db()
    assert job.message == "“facts\ufffd.csv” is not a CSV, XLSX or JSON file."


def test_reap_jobs_fails_only_the_jobs_whose_worker_went_silent(matter, user):
    def export_job():
        return job_create(matter=matter, user=user, kind=Job.Kind.EXPORT, options={})

    waiting, live, silent = export_job(), export_job(), export_job()
    job_start(job=live)
    job_progress(job=live, done=10, total=40)
    job_start(job=silent)
    job_progress(job=silent, done=10, total=40)
    silent_since = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_AFTER + 1)
    Job.objects.filter(pk=silent.pk).update(heartbeat_at=silent_since)
    Job.objects.filter(pk=waiting.pk).update(created_at=silent_since)  # queued long ago; no worker has claimed it

    out = io.StringIO()
    call_command("reap_jobs", stdout=out)

    assert out.getvalue() == "Jobs marked failed because their worker stopped: 1.\n"
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {waiting.pk: Job.State.QUEUED, live.pk: Job.State.RUNNING, silent.pk: Job.State.FAILED}
    silent.refresh_from_db()
    since = f"{timezone.localtime(silent_since):%Y-%m-%d %H:%M:%S}"
    assert silent.message.startswith(f"The worker running this export stopped (no progress since {since} ")
    assert silent.message.endswith("; start the export again.") and silent.finished_at and silent.progress == 10
