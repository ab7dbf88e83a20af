"""The rows that track background exports and imports, so the page that started one can show its progress.

Progress writes are plain UPDATEs that commit as they happen (the task runs outside a transaction): the page polling
the job sees them at once. A job always ends DONE or FAILED with a message the user can read. Messages and options
name the files people upload, so their text is cleaned by the one rule (evidence.text) like any stored text.
"""

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from evidence import text
from evidence.models import Job, Matter


def job_create(*, matter: Matter, user, kind: Job.Kind, options: dict, total: int = 0, message: str = "") -> Job:
    options = {name: text.clean(value) for name, value in options.items()}
    return Job.objects.create(
        matter=matter, user=user, kind=kind, options=options, total=total, message=text.clean(message)
    )


def job_start(*, job: Job, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, message=text.clean(message))


def job_progress(*, job: Job, done: int, total: int, message: str | None = None) -> None:
    fields = {"progress": done, "total": total}
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
