"""Job rows (evidence/services/jobs.py) name the files people upload; their text follows the one text rule."""

import pytest

from evidence.models import Job
from evidence.services.jobs import job_create, job_fail

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
