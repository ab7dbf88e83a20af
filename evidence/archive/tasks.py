"""The matter page's archive as a background task (queue "exports"): written to this host's scratch folder, then
streamed into the storage as the job's result, which the job page offers through downloads.serve_export."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.tasks import task

from evidence.files import scratch_dir
from evidence.models import Job
from evidence.services.jobs import job_fail, job_finish_with_local_file, job_progress, job_start

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes


@task(queue_name="exports")
def run_archive_job(job_id: int) -> None:
    """Write the archive a Job asks for; the Job ends DONE with the ZIP in `result`, or FAILED with a message."""
    from evidence.archive import archive_name, archive_record, archive_write

    job = Job.objects.select_related("matter", "user").get(pk=job_id)
    job_start(job=job, message="Writing the archive.")
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= PROGRESS_INTERVAL:
            last = now
            job_progress(job=job, done=done, total=total, message=f"{stage}.")

    fd, temp = tempfile.mkstemp(dir=scratch_dir(), prefix="archive-", suffix=".zip")
    os.close(fd)
    path = Path(temp)
    try:
        made = archive_write(matter=job.matter, user=job.user, path=path, progress=progress)
        filename = archive_name(job.matter)
        # Offered only with its entry in the access log (who, its SHA-256): both or neither.
        with transaction.atomic():
            job_finish_with_local_file(job=job, filename=filename, path=path, size=made.size)
            archive_record(matter=job.matter, user=job.user, made=made, filename=filename, via="matter page", job=job)
    except Exception as error:  # recorded for the user; the traceback goes to the log
        logger.exception("Archive job %s failed", job.pk)
        job_fail(job=job, message=str(error) or type(error).__name__)
    finally:
        path.unlink(missing_ok=True)
