"""Evidence documents (content-addressed files with their exhibit numbers) and the citations of them by events."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from evidence import text
from evidence.models.events import Event, SoftDeleteQuerySet
from evidence.models.matters import Matter
from evidence.models.partial_dates import PartialDateFields


class Document(PartialDateFields):
    # The metadata people edit after intake (besides the date); the file, its hash and number never change.
    EDITABLE_FIELDS = ("title", "author", "source_url", "captured_at", "bates_start", "bates_end", "is_privileged")
    # Text whose form feeds are kept by evidence.text.clean: they separate a PDF's pages (evidence.files), by which
    # search tells the page of a match.
    PAGED_TEXT_FIELDS = ("extracted_text",)

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=500)
    # Stored content-addressed by evidence.files.store (evidence/ab/cd/<sha256>): identical bytes share one file,
    # and a stored file is never replaced by different content.
    file = models.FileField(upload_to="evidence/", max_length=200, editable=False)
    original_filename = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    media_type = models.CharField(max_length=127, editable=False)
    author = models.CharField("author / custodian", max_length=300, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When a web page was captured.")
    exhibit_number = models.PositiveIntegerField(editable=False)
    bates_start = models.CharField(max_length=50, blank=True)
    bates_end = models.CharField(max_length=50, blank=True)
    is_privileged = models.BooleanField("privileged", default=False)
    extracted_text = models.TextField(blank=True, editable=False)
    # Read from the file at intake (PDFs only): a pinpoint past the last page is warned about when it is entered.
    # None when unknown: not a PDF, a PDF that could not be read or is locked by a password, or a document taken in
    # before page counts were kept and not yet read by fill_page_counts.
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Like the text, the page count is read from the file, which never changes: it is no part of a version. (It is also
    # no column of the history, whose rows are hashed whole into the matter's history chain.)
    history = HistoricalRecords(excluded_fields=["extracted_text", "page_count"])

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["exhibit_number"]
        constraints = [
            *PartialDateFields.date_constraints("document"),
            models.UniqueConstraint(fields=["matter", "exhibit_number"], name="document_unique_exhibit_per_matter"),
            models.UniqueConstraint(fields=["matter", "sha256"], name="document_unique_content_per_matter"),
            models.CheckConstraint(condition=Q(exhibit_number__gte=1), name="document_exhibit_positive"),
        ]

    def __str__(self):
        return text.shown(f"{self.exhibit_label} {self.title}")

    @cached_property
    def exhibit_label(self) -> str:
        return f"{self.matter.exhibit_prefix}{self.exhibit_number}"

    @property
    def bates_range(self) -> str:
        if self.bates_start and self.bates_end and self.bates_end != self.bates_start:
            return f"{self.bates_start} – {self.bates_end}"
        return self.bates_start or self.bates_end

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Citation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(max_length=100, blank=True, help_text="“p. 3”, “¶ 12”, “ACME_000123”, “00:01:32”.")
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["document__exhibit_number", "pinpoint"]
        constraints = [
            models.UniqueConstraint(fields=["event", "document", "pinpoint"], name="citation_unique_pinpoint")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        label = self.document.exhibit_label
        return f"{label} {self.pinpoint}" if self.pinpoint else label

    def clean(self):
        if self.event_id and self.document_id and self.event.matter_id != self.document.matter_id:
            raise ValidationError("An event can only cite a document of its own matter.")
