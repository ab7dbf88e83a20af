"""A large file's text is read by a background job, not in the request that uploaded it."""

import io

import pytest
from django.urls import reverse

from evidence.models import Job
from evidence.services.documents import document_intake
from tests.factories import make_pdf
from tests.storage import overwrite

TEXT = b"The setting Data for Generative AI Improvement was on by default. " * 40  # 2.6 KB


@pytest.fixture
def large(settings):
    """Files over 100 bytes are "large"."""
    settings.EVIDENCE_TEXT_INLINE_BYTES = 100


def take_in(matter, user, content, filename, capture, *, run: bool):
    with capture(execute=run):
        return document_intake(
            matter=matter, user=user, file=io.BytesIO(content), filename=filename, reason="upload"
        ).document


def test_a_large_files_text_is_read_by_a_job_and_the_page_says_so_until_then(
    large, client, matter, user, django_capture_on_commit_callbacks
):
    document = take_in(matter, user, TEXT, "memo.txt", django_capture_on_commit_callbacks, run=False)
    document.refresh_from_db()
    assert document.extracted_text == ""  # not read in the upload's request
    job = Job.objects.get(kind=Job.Kind.READ_TEXT)
    assert (job.state, job.options, job.matter, job.user) == ("queued", {"document": document.pk}, matter, user)
    client.force_login(user)
    page = client.get(reverse("document_detail", args=[matter.slug, document.pk])).content.decode()
    assert "Being read in the background (queued): search finds this file once it is read." in page

    with django_capture_on_commit_callbacks(execute=True):
        job.refresh_from_db()
        from evidence.document_text import read_text_task

        read_text_task.enqueue(job.pk)  # what the worker does with the queued task
    document.refresh_from_db()
    assert document.extracted_text.startswith("The setting Data for Generative AI Improvement was on by default.")
    assert document.history.count() == 1  # read from the file: no new version
    job.refresh_from_db()
    assert (job.state, job.message) == ("done", f"Read {len(document.extracted_text):,} characters of text.")
    page = client.get(reverse("document_detail", args=[matter.slug, document.pk])).content.decode()
    assert "Being read in the background" not in page


def test_a_large_pdfs_page_count_comes_with_its_text(large, matter, user, django_capture_on_commit_callbacks):
    document = take_in(matter, user, make_pdf(4), "scan.pdf", django_capture_on_commit_callbacks, run=True)
    document.refresh_from_db()
    assert document.page_count == 4
    job = Job.objects.get(kind=Job.Kind.READ_TEXT)
    assert job.message == f"Read {len(document.extracted_text):,} characters of text, 4 pages."


def test_a_file_changed_in_storage_before_its_text_is_read_is_not_read(
    large, client, matter, user, django_capture_on_commit_callbacks
):
    document = take_in(matter, user, TEXT, "memo.txt", django_capture_on_commit_callbacks, run=False)
    overwrite(document.file.name, b"x" * len(TEXT))
    from evidence.document_text import read_text_task

    read_text_task.enqueue(Job.objects.get(kind=Job.Kind.READ_TEXT).pk)
    document.refresh_from_db()
    assert document.extracted_text == ""
    message = f"The text of {document.exhibit_label} could not be read: the stored file no longer matches its SHA-256"
    assert Job.objects.get().state == "failed" and Job.objects.get().message.startswith(message)
    client.force_login(user)
    page = client.get(reverse("document_detail", args=[matter.slug, document.pk])).content.decode()
    assert message in page


def test_a_small_files_text_is_read_on_upload_without_a_job(matter, user, django_capture_on_commit_callbacks):
    document = take_in(matter, user, TEXT[:100], "memo.txt", django_capture_on_commit_callbacks, run=True)
    assert document.extracted_text.startswith("The setting")
    assert not Job.objects.exists()
