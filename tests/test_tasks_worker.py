"""Large exports and imports run on the database-backed task queue: the job waits until a db_worker runs it."""

import pytest
from django.core.management import call_command

from evidence.exporting import ExportOptions, export_job_start
from evidence.models import Job
from tests.factories import make_event

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports", "imports"]}
}


@pytest.mark.django_db(transaction=True)
def test_an_export_job_waits_for_the_worker_then_holds_the_file(settings, matter, user):
    settings.TASKS = DATABASE_TASKS
    make_event(matter, title="Complaint filed", date="Jan 2025")
    job = export_job_start(matter=matter, user=user, options=ExportOptions(format="csv"))
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and not job.result

    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, reload=False)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert "Complaint filed" in job.result.read().decode()
