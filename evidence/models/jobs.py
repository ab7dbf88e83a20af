"""Background exports, imports and readings of large files, so the page that started one can show its progress."""

from django.conf import settings
from django.db import models

from evidence.models.matters import Matter


class Job(models.Model):
    """A long-running import or export, so the page that started it can show progress and hand over the result."""

    class Kind(models.TextChoices):
        IMPORT_EVENTS = "import_events", "Import events"
        PREVIEW_EVENTS = "preview_events", "Preview events import"
        IMPORT_DOCUMENTS = "import_documents", "Import documents"
        IMPORT_CAPTURES = "import_captures", "Import captures of a tracked source"
        EXPORT = "export", "Export chronology"
        ARCHIVE = "archive", "Matter archive"
        READ_TEXT = "read_text", "Read a document's text"
        OCR = "ocr", "OCR a document"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="jobs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.FileField(upload_to="jobs/", max_length=200, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the worker running the job last wrote to it: a RUNNING job silent for JOB_STALE_AFTER seconds lost its
    # worker (killed, out of memory, host gone) and is marked FAILED by services.jobs.jobs_reap_stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"
