"""The text (and a PDF's page count) of a large document, read by a worker (Django tasks, queue "default") instead of
the request that uploaded it: reading a 500-page PDF takes longer than a request should, and the worker may be on
another host (it reads the file from the storage). A Job row tracks it, so the document's page says the text is being
read, and a worker that dies leaves a failed job with its reason (services.jobs.jobs_reap_stale), never "running".

The text is written without a new version, as fill_page_counts writes page counts: it is read from the file and is
no part of the document's history.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from evidence import files, text
from evidence.document_ocr import needs_ocr, start_ocr_job
from evidence.importing.tables import UnusableInputError
from evidence.models import Document, Job
from evidence.services.documents import StoredFileError, read_stored
from evidence.services.jobs import job_create, job_fail, job_finish, job_start


def start_text_job(*, document: Document, user) -> Job:
    job = job_create(
        matter=document.matter, user=user, kind=Job.Kind.READ_TEXT, options={"document": document.pk},
        message=f"Queued: the text of {document.exhibit_label}.", task=read_text_task,
    )  # fmt: skip
    return job


@task(queue_name="default")
def read_text_task(job_id: int) -> None:
    job = Job.objects.select_related("matter").get(pk=job_id)
    document = Document.objects.select_related("matter").get(pk=job.options["document"])
    job_start(job=job, message=f"Reading the text of {document.exhibit_label}")
    try:
        contents = read_stored(document, files.read_contents, document.media_type, document.original_filename,
                               timeout=settings.EVIDENCE_TEXT_READ_TIMEOUT,
                               timeout_setting="EVIDENCE_TEXT_READ_TIMEOUT")  # fmt: skip
    except (StoredFileError, UnusableInputError) as error:
        job_fail(job=job, message=f"The text of {document.exhibit_label} could not be read: {error}")
        return
    except Exception as error:  # the page must not say "being read" forever
        job_fail(job=job, message=f"Failed: {error}")
        raise
    extracted = text.clean(contents.text, page_breaks=True)  # the one rule for stored text, pages kept apart
    Document.objects.filter(pk=document.pk).update(extracted_text=extracted, page_count=contents.page_count)
    pages = f", {contents.page_count:,} pages" if contents.page_count else ""
    job_finish(job=job, message=f"Read {len(contents.text):,} characters of text{pages}.")
    if needs_ocr(media_type=document.media_type, contents=contents):  # a large scan: OCR'd next
        start_ocr_job(document=document, user=job.user)
