"""A document's text read in the background (a large file's, or its OCR): the state shown on its page, OCR started
again by an editor, and the OCR'd copy (the original pages with their text laid over them) sent to whoever may see
the document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from evidence import selectors
from evidence.document_ocr import start_ocr_job
from evidence.downloads import serve_ocr_copy
from evidence.models import Document, Job, Role
from evidence.ocr import IMAGE_TYPES
from evidence.permissions import get_matter_for
from evidence.services.jobs import jobs_reap_stale
from evidence.views.access import address_of


def _document(matter, pk) -> Document:
    return get_object_or_404(selectors.documents_of(matter=matter), pk=pk)


def text_job(document: Document) -> Job | None:
    """The latest reading or OCR of the document's text; one whose worker died is failed here, with the reason, so
    the page never says "running" forever."""
    job = selectors.text_job_of(document=document)
    running = job is not None and job.state in (Job.State.QUEUED, Job.State.RUNNING)
    if running and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def can_ocr(document: Document) -> bool:
    return document.media_type in (*IMAGE_TYPES, "application/pdf") and not document.is_deleted


@login_required
@require_POST
def document_ocr(request, slug, pk):
    """OCR the document again (after a failure: Tesseract missing then, a page over its time)."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    if not can_ocr(document):
        raise Http404("Only scans (PDFs) and images are OCR'd.")
    job = text_job(document)
    if job is not None and job.state in (Job.State.QUEUED, Job.State.RUNNING):
        messages.info(request, f"{document.exhibit_label}'s text is being read already.")
    else:
        start_ocr_job(document=document, user=request.user)
        messages.success(request, f"OCR of {document.exhibit_label} queued: this page shows its progress.")
    return redirect("document_detail", matter.slug, document.pk)


@login_required
@require_GET
@xframe_options_sameorigin  # the viewer may show it in a frame of its own origin, as the original
def document_ocr_copy(request, slug, pk):
    matter = get_matter_for(request.user, slug)
    document = _document(matter, pk)
    return serve_ocr_copy(
        user=request.user, document=document, inline=request.GET.get("inline") == "1", address=address_of(request)
    )
