"""The export as a background task (Django 6 tasks, queue "exports"): progress and the file are kept on the Job."""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from evidence.models import Job

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes


@task(queue_name="exports")
def run_export_job(job_id: int) -> None:
    """Run the export a Job describes; the Job ends DONE with its file in `result`, or FAILED with a message.

    The export runs outside a transaction: progress writes commit as they happen, for the page that polls them."""
    from evidence.exporting import ExportOptions, export_chronology

    job = Job.objects.select_related("matter", "user").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= PROGRESS_INTERVAL:
            last = now
            Job.objects.filter(pk=job.pk).update(progress=done, total=total)

    try:
        options = ExportOptions.from_json(job.options)
        result = export_chronology(matter=job.matter, user=job.user, options=options, progress=progress)
    except Exception as error:  # recorded for the user; the traceback goes to the log
        logger.exception("Export job %s failed", job.pk)
        message = str(error) or type(error).__name__
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, message=message, finished_at=timezone.now())
        return
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        job.result.save(result.filename, ContentFile(result.content), save=False)
        job.result_name = result.filename
        job.state = Job.State.DONE
        job.message = f"{result.filename} ({len(result.content):,} bytes)"
        job.finished_at = timezone.now()
        job.save()
