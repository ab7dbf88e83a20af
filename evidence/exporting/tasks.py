"""The export as a background task (Django 6 tasks, queue "exports"): progress and the file are kept on the Job."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.tasks import task

from evidence.models import Job
from evidence.services.access import access_export_produced
from evidence.services.editions import edition_record
from evidence.services.jobs import job_fail, job_finish_with_file, job_progress, job_start

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes


@task(queue_name="exports")
def run_export_job(job_id: int) -> None:
    """Run the export a Job describes; the Job ends DONE with its file in `result`, or FAILED with a message.

    The export runs outside a transaction: progress writes commit as they happen, for the page that polls them."""
    from evidence.exporting import ExportOptions, export_chronology

    job = Job.objects.select_related("matter", "user").get(pk=job_id)
    job_start(job=job)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= PROGRESS_INTERVAL:
            last = now
            job_progress(job=job, done=done, total=total)

    try:
        options = ExportOptions.from_json(job.options)
        result = export_chronology(matter=job.matter, user=job.user, options=options, progress=progress)
        # The file is offered only with its entry in the access log (who, the filters, its SHA-256), and a chronology
        # as PDF or Word only once kept as an edition: all or none.
        with transaction.atomic():
            job_finish_with_file(job=job, filename=result.filename, content=result.content, warnings=result.warnings)
            access_export_produced(
                matter=job.matter, user=job.user, options=options, result=result, job=job, via="export page"
            )
            edition_record(matter=job.matter, user=job.user, options=options, result=result, job=job, via="export page")
    except Exception as error:  # recorded for the user; the traceback goes to the log
        logger.exception("Export job %s failed", job.pk)
        message = str(error) or type(error).__name__
        job_fail(job=job, message=message)
