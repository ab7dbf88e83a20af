"""The capture import as a job on the worker: its progress, its result, and a refusal that writes nothing."""

import io

import pytest
from django.test import TestCase

from evidence.importing.tasks import start_capture_import_job
from evidence.importing.uploads import keep_upload, kept_uploads
from evidence.models import Job, SourceVersion
from evidence.services.sources import source_create
from tests.tracked.warcs import URL, two_versions


@pytest.fixture
def source(matter, user):
    return source_create(matter=matter, user=user, name="Privacy Policy", kind="policy", url=URL, reason="test")


def start(source, user, data: bytes, name="crawl.warc.gz") -> Job:
    token = keep_upload(io.BytesIO(data), name=name)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs at commit (immediate backend)
        job = start_capture_import_job(source=source, user=user, token=token, name=name)
    job.refresh_from_db()
    return job


def test_the_job_imports_and_keeps_what_it_did(source, editor):
    job = start(source, editor, two_versions().bytes())
    assert job.state == Job.State.DONE, job.message
    assert job.message == "Imported crawl.warc.gz: 2 versions added, 4 records skipped."
    assert (job.progress, job.total) == (2, 2)
    added = job.options["result"]["added"]
    assert [a["captured"] for a in added] == ["Aug 12, 2024, 3:15 AM PDT", "Sept 18, 2024, 2:00 AM PDT"]
    assert added[0]["sha256"] == SourceVersion.objects.get(pk=added[0]["version"]).document.sha256
    assert any("2 records for other URLs skipped" in n for n in job.options["result"]["notices"])
    assert SourceVersion.objects.get(pk=added[0]["version"]).history.first().history_user == editor
    assert kept_uploads() == []  # the upload is not kept once imported


def test_a_truncated_file_fails_the_job_and_writes_nothing(source, editor):
    job = start(source, editor, two_versions().bytes()[:-40], name="cut.warc.gz")
    assert job.state == Job.State.FAILED
    assert job.message.startswith("Cannot import: “cut.warc.gz”: record 9 (offset ")
    assert "is cut off" in job.message
    assert not SourceVersion.objects.exists() and kept_uploads() == []


def test_the_source_deleted_meanwhile_writes_nothing(source, editor, user):
    from evidence.services.sources import source_delete

    token = keep_upload(io.BytesIO(two_versions().bytes()), name="crawl.warc.gz")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_capture_import_job(source=source, user=editor, token=token, name="crawl.warc.gz")
        source_delete(source=source, user=user, reason="test")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "is deleted: restore it before adding a version" in job.options["result"]["errors"][0]["reason"]
    assert not SourceVersion.objects.exists()
    assert job.message.startswith("Nothing was written: 0 versions added")
