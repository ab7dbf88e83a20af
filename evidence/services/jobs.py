"""The rows that track background exports and imports, so the page that started one can show its progress.

Progress writes are plain UPDATEs that commit as they happen (the task runs outside a transaction): the page polling
the job sees them at once. A job always ends DONE or FAILED with a message the user can read. Messages and options
name the files people upload, so their text is cleaned by the one rule (evidence.text) like any stored text.

A worker can die mid-job (killed, out of memory, its host gone) without writing anything. Every start and progress
write is also the job's heartbeat; `jobs_reap_stale` marks FAILED, with the reason, a job silent for JOB_STALE_AFTER
seconds, and fails its django-tasks-db result too so it is not mistaken for live work. It is not retried: an export
that killed one worker (memory, a pathological file) would likely kill the next, and the user restarts it in one click.
"""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from evidence import text
from evidence.models import Job, Matter


def job_create(*, matter: Matter, user, kind: Job.Kind, options: dict, total: int = 0, message: str = "",
               task=None) -> Job:  # fmt: skip
    """The job's row; with `task`, the task that runs it is enqueued once the row is committed, so that a worker on
    another connection always finds it."""
    options = {name: text.clean(value) for name, value in options.items()}
    job = Job.objects.create(
        matter=matter, user=user, kind=kind, options=options, total=total, message=text.clean(message)
    )
    if task is not None:
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def job_start(*, job: Job, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, message=text.clean(message), heartbeat_at=timezone.now()
    )


def job_progress(*, job: Job, done: int, total: int, message: str | None = None) -> None:
    fields = {"progress": done, "total": total, "heartbeat_at": timezone.now()}
    if message is not None:
        fields["message"] = text.clean(message)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_fail(*, job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, message=text.clean(message), finished_at=timezone.now()
    )


def job_finish(*, job: Job, message: str, done: int | None = None) -> None:
    fields = {"state": Job.State.DONE, "message": text.clean(message), "finished_at": timezone.now()}
    if done is not None:
        fields["progress"] = fields["total"] = done
    Job.objects.filter(pk=job.pk).update(**fields)


@transaction.atomic
def job_finish_with_file(*, job: Job, filename: str, content: bytes, warnings: Iterable[str] = ()) -> None:
    """Store the job's result file and mark it done, together: the page never offers a file that is not there.
    `warnings` (e.g. characters the PDF prints as empty boxes) follow the file's name in the job's message."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    job.result.save(filename, ContentFile(content), save=False)
    job.result_name = filename
    job.state = Job.State.DONE
    job.message = text.clean(" ".join([f"{filename} ({len(content):,} bytes).", *warnings]))
    job.finished_at = timezone.now()
    job.save()


@transaction.atomic
def job_finish_with_local_file(*, job: Job, filename: str, path: Path, size: int, message: str = "") -> None:
    """job_finish_with_file for a result too large to hold in memory (a matter archive): streamed from a file of
    this host into the storage. `message` replaces the file's name and size as the job's message."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    with path.open("rb") as fh:
        job.result.save(filename, File(fh, name=filename), save=False)
    job.result_name = filename
    job.state = Job.State.DONE
    job.message = text.clean(message or f"{filename} ({size:,} bytes).")
    job.finished_at = timezone.now()
    job.save()


class WorkerLost(Exception):
    """Recorded on the task result of a job whose worker stopped without finishing it."""


def _job_task_paths() -> tuple[str, ...]:
    """Every task whose one argument is the id of the Job it runs."""
    from evidence.archive.tasks import run_archive_job
    from evidence.document_ocr import ocr_task
    from evidence.document_text import read_text_task
    from evidence.exporting.tasks import run_export_job
    from evidence.importing.tasks import (
        import_captures_task,
        import_documents_task,
        import_events_task,
        preview_events_task,
    )

    tasks = (run_export_job, import_events_task, preview_events_task, import_documents_task, read_text_task,
             run_archive_job, ocr_task, import_captures_task)  # fmt: skip
    return tuple(task.module_path for task in tasks)


def jobs_reap_stale(*, jobs: QuerySet[Job] | None = None) -> int:
    """Mark FAILED, saying why, the jobs (of `jobs`, default all) whose worker stopped: RUNNING with no heartbeat for
    JOB_STALE_AFTER seconds, or still QUEUED that long after a worker claimed its task (it died before starting it).
    Returns how many. Each job is failed by one conditional UPDATE, so a worker that writes meanwhile keeps its job."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.JOB_STALE_AFTER)
    jobs = Job.objects.all() if jobs is None else jobs
    # at most one running task per live worker: few rows
    claimed = {
        result.args_kwargs["args"][0]: result
        for result in DBTaskResult.objects.running().filter(task_path__in=_job_task_paths())
        if result.args_kwargs.get("args")
    }
    stale = jobs.filter(
        Q(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=Job.State.RUNNING, heartbeat_at__isnull=True, created_at__lt=cutoff)
        | Q(state=Job.State.QUEUED, pk__in=[pk for pk, result in claimed.items() if result.started_at < cutoff])
    )
    reaped = 0
    for job in stale:
        since = job.heartbeat_at or (claimed[job.pk].started_at if job.pk in claimed else job.created_at)
        what = {Job.Kind.EXPORT: "export", Job.Kind.ARCHIVE: "export", Job.Kind.OCR: "OCR"}.get(job.kind, "import")
        message = (
            f"The worker running this {what} stopped (no progress since "
            f"{timezone.localtime(since):%Y-%m-%d %H:%M:%S %Z}); start the {what} again."
        )
        updated = Job.objects.filter(pk=job.pk, state=job.state, heartbeat_at=job.heartbeat_at).update(
            state=Job.State.FAILED, message=message, finished_at=now
        )
        if not updated:
            continue
        reaped += 1
        if (result := claimed.get(job.pk)) is not None:
            result.set_failed(WorkerLost(message))
    return reaped
