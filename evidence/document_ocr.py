"""OCR of a document that has pages without text (a scanned PDF) or is an image (PNG, JPEG, TIFF), by a worker (Django
tasks, queue "default"): Tesseract takes seconds a page, far longer than a request should. A Job row tracks it page by
page, so the document's page shows "page 3 of 12"; a worker that dies leaves a failed job with its reason
(services.jobs.jobs_reap_stale), never "running".

The result is the document's searchable text (every page's, its own text or the OCR's, pages joined by "\\n\\f" as a
PDF's are) and its page count, written without a new version as the read text is: it is read from the file, no part
of the document's history. The OCR'd PDF (the original pages with the text laid over them) is kept as the job's file,
beside the evidence: the original file and its SHA-256 stay the evidence, untouched.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task

from evidence import files, ocr, text
from evidence.models import Document, Job
from evidence.services.jobs import job_create, job_fail, job_finish_with_local_file, job_progress, job_start

logger = logging.getLogger(__name__)


def needs_ocr(*, media_type: str, contents: files.Contents) -> bool:
    """An image, or a PDF with a page that has no text (a scan): what OCR can add to."""
    if media_type in ocr.IMAGE_TYPES:
        return True
    if media_type != "application/pdf" or not contents.page_count:
        return False  # a PDF that could not be read: OCRmyPDF would not read it either
    pages = contents.text.split(ocr.PAGE_SEPARATOR)
    return len(pages) < contents.page_count or any(not page.strip() for page in pages)


def start_ocr_job(*, document: Document, user) -> Job:
    job = job_create(
        matter=document.matter, user=user, kind=Job.Kind.OCR, options={"document": document.pk},
        message=f"Queued: OCR of {document.exhibit_label}.", task=ocr_task,
    )  # fmt: skip
    return job


@task(queue_name="default")
def ocr_task(job_id: int) -> None:
    job = Job.objects.select_related("matter").get(pk=job_id)
    document = Document.objects.select_related("matter").get(pk=job.options["document"])
    label = document.exhibit_label
    job_start(job=job, message=f"OCR of {label}: starting")
    try:
        result, out = _run(document, job)
    except ocr.OcrError as error:
        job_fail(job=job, message=f"OCR of {label} failed: {error}")
        return
    except Exception as error:  # the page must not say "running" forever
        job_fail(job=job, message=f"OCR of {label} failed: {error}")
        raise
    extracted = text.clean(result.text, page_breaks=True)  # the one rule for stored text, pages kept apart
    empty = result.empty_pages
    notes = [f"OCR read {len(extracted):,} characters from {result.pages:,} page{'s'[: result.pages != 1]}."]
    if empty:
        notes.append(f"No text found on page{'s'[: len(empty) != 1]} {_pages(empty)}.")
    notes += result.warnings
    try:
        with transaction.atomic():
            Document.objects.filter(pk=document.pk).update(extracted_text=extracted, page_count=result.pages)
            job_finish_with_local_file(job=job, filename=f"{label} OCR.pdf", path=out, size=out.stat().st_size,
                                       message=" ".join(notes))  # fmt: skip
    finally:
        out.unlink(missing_ok=True)


def _run(document: Document, job: Job):
    """The stored file copied to this host and checked against its SHA-256 (a changed file is not read), then OCR'd;
    the result and the path of the OCR'd PDF (on this host, for the caller to store and remove)."""
    try:
        with default_storage.open(document.file.name, "rb") as stored:
            spooled = files.spool(stored, filename=document.original_filename)
    except (OSError, ValidationError) as error:
        raise ocr.OcrError(f"the stored file cannot be read ({error})") from error
    out = spooled.path.with_name(spooled.path.name + "-ocr.pdf")
    try:
        if spooled.sha256 != document.sha256:
            raise ocr.OcrError("the stored file no longer matches its SHA-256 (see verify_evidence)")
        label = document.exhibit_label

        def progress(done: int, pages: int) -> None:
            job_progress(job=job, done=done, total=pages, message=f"OCR of {label}: page {done:,} of {pages:,} done")

        if document.media_type in ocr.IMAGE_TYPES:
            result = ocr.ocr_image(spooled.path, out, progress=progress)
        else:
            result = ocr.ocr_pdf(spooled.path, out, progress=progress)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        spooled.discard()
    return result, out


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20:,} more" if len(numbers) > 20 else "")
