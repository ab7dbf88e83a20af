"""Append-only records of the evidence: who reached it (the access log) and whether its stored file was still what
was received (integrity checks).

Both are written once and never changed through the app: `save()` refuses an update, `delete()` refuses, and their
querysets refuse `update()` and `delete()`. On PostgreSQL a trigger (migration 0005) refuses UPDATE and DELETE of
their rows to anyone connecting as the app. They are not in the admin.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """An attempt to change or delete a record of an append-only log."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only: rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only: rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} {self.pk} is append-only: it cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} {self.pk} is append-only: it cannot be deleted.")


class AccessKind(models.TextChoices):
    VIEW_DOCUMENT = "view_document", "Viewed document page"
    VIEW_FILE = "view_file", "Viewed file"
    DOWNLOAD_FILE = "download_file", "Downloaded file"
    DOWNLOAD_EXPORT = "download_export", "Downloaded export"
    EXPORT = "export", "Exported chronology"
    EXPORT_ARCHIVE = "export_archive", "Exported matter archive"


class AccessEvent(AppendOnlyModel):
    """Someone viewed a document's page or file, downloaded a document or an export, or exported the chronology.

    `sequence` numbers a matter's events 1, 2, 3… in the order they were written, and `content_sha256` is the SHA-256
    of the event's own content (`content()`), so that a hash chain over a matter's history can take them in."""

    Kind = AccessKind

    matter = models.ForeignKey("evidence.Matter", on_delete=models.PROTECT, related_name="access_events")
    sequence = models.PositiveBigIntegerField(editable=False)
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    at = models.DateTimeField(default=timezone.now, editable=False)
    # PROTECT: a user who reached evidence is deactivated, never deleted; the name is kept as it was then.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="access_events"
    )
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField("client address", max_length=45, blank=True)
    document = models.ForeignKey(
        "evidence.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="access_events"
    )
    job = models.ForeignKey("evidence.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What was reached: file name, SHA-256 and size of a file; for an export its options, filters and files.
    detail = models.JSONField(default=dict, blank=True)
    content_sha256 = models.CharField("SHA-256 of the content", max_length=64, editable=False)

    class Meta:
        ordering = ["matter", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "sequence"], name="access_event_unique_sequence_per_matter"),
            models.CheckConstraint(condition=models.Q(kind__in=AccessKind.values), name="access_event_kind_valid"),
        ]
        indexes = [models.Index(fields=["matter", "kind", "-sequence"], name="access_event_matter_kind")]

    def __str__(self):
        return f"#{self.sequence} {self.get_kind_display()} by {self.username or 'system'}"

    def content(self) -> dict:
        """Everything the event says, in plain JSON types: what `content_sha256` is the hash of."""
        return {
            "matter": self.matter_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "at": self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "user": self.user_id,
            "username": self.username,
            "address": self.address,
            "document": self.document_id,
            "job": self.job_id,
            "detail": self.detail,
        }

    def compute_sha256(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class IntegrityCheck(AppendOnlyModel):
    """One look at a document's stored file: its size, and its SHA-256 when it was hashed, against intake's.

    The latest check of a document is its integrity status; a failed one stops the file from being served until a
    later check (verify_evidence) finds it intact again."""

    class Problem(models.TextChoices):
        NONE = "", "None"
        MISSING = "missing", "Missing"
        NOT_A_FILE = "not_a_file", "Not a regular file"
        UNREADABLE = "unreadable", "Unreadable"
        SIZE = "size", "Size differs"
        SHA256 = "sha256", "SHA-256 differs"

    class Source(models.TextChoices):
        VERIFY = "verify_evidence", "verify_evidence"
        DOWNLOAD = "download", "Download"
        PAGE = "page", "Document page"

    document = models.ForeignKey("evidence.Document", on_delete=models.PROTECT, related_name="integrity_checks")
    checked_at = models.DateTimeField(default=timezone.now, editable=False)
    ok = models.BooleanField()
    hashed = models.BooleanField(help_text="Whether the whole file was hashed, or only its size compared.")
    problem = models.CharField(max_length=12, choices=Problem.choices, blank=True)
    actual_size = models.PositiveBigIntegerField(null=True, blank=True)
    actual_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["document", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ok=True, problem="") | models.Q(ok=False) & ~models.Q(problem=""),
                name="integrity_check_ok_without_problem",
            ),
        ]

    def __str__(self):
        return f"{'ok' if self.ok else self.get_problem_display()} at {self.checked_at:%Y-%m-%d %H:%M}"
