"""Large exports and imports run on the database-backed task queue: the job waits until a db_worker runs it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from evidence.exporting import ExportOptions, export_job_start
from evidence.importing.tasks import start_import_job
from evidence.importing.uploads import keep_upload
from evidence.models import Event, Job
from tests.factories import make_event

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports", "imports"]}
}


def run_worker():
    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False)


@pytest.mark.django_db(transaction=True)
def test_an_export_job_waits_for_the_worker_then_holds_the_file(settings, matter, user):
    settings.TASKS = DATABASE_TASKS
    make_event(matter, title="Complaint filed", date="Jan 2025")
    job = export_job_start(matter=matter, user=user, options=ExportOptions(format="csv"))
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and not job.result

    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert "Complaint filed" in job.result.read().decode()


@pytest.mark.django_db(transaction=True)
def test_an_import_job_is_queued_when_its_transaction_commits_and_the_worker_imports(settings, matter, user):
    settings.TASKS = DATABASE_TASKS
    token = keep_upload(io.BytesIO(b"Date,Title\nAug 2024,Setting introduced\n"), name="facts.csv")
    with transaction.atomic():
        job = start_import_job(
            matter=matter, user=user, token=token, name="facts.csv", sheet=None, day_first=None, rows=1
        )
        assert not DBTaskResult.objects.exists()  # a worker must not find a job row that may yet roll back
    assert DBTaskResult.objects.count() == 1

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.DONE, "Imported facts.csv: 1 new, 0 updated, 0 unchanged, 0 invalid.")
    assert Event.objects.get(matter=matter).history.get().history_user == user
