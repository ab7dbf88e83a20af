"""Tracked sources: a policy, an FAQ, a setting screen, terms or an e-mail template that changes over time, its
versions (each a document of the matter, with how and when it was captured, when it was first seen and when it took
effect) and the audiences a version may apply to."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from evidence import dates, text
from evidence.models.documents import Document
from evidence.models.events import SoftDeleteQuerySet
from evidence.models.matters import Matter
from evidence.models.partial_dates import PartialDateColumns


class SourceKind(models.TextChoices):
    POLICY = "policy", "Policy"
    FAQ = "faq", "FAQ / help page"
    SETTING = "setting", "Setting screen"
    TERMS = "terms", "Terms"
    EMAIL_TEMPLATE = "email_template", "E-mail template"


class CaptureMethod(models.TextChoices):
    UPLOAD = "upload", "Upload"
    WEB_ARCHIVE = "web_archive", "Web archive (WARC/WACZ)"
    SCREENSHOT = "screenshot", "Screenshot"
    DISCOVERY = "discovery", "Produced in discovery"


class Audience(models.Model):
    """Those a version applies to ("Members in the UK, EEA and Switzerland", "Premium members"), per matter like an
    issue. A version with no audience applies to everyone."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="audiences")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Retired: no longer offered for new versions; the versions that name it keep it.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="audience_unique_name_per_matter")]

    def __str__(self):
        return text.shown(self.name)


class TrackedSource(models.Model):
    EDITABLE_FIELDS = ("name", "kind", "url", "description", "is_illustrative")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="tracked_sources")
    name = models.CharField(max_length=200, help_text="“Privacy Policy”, “Generative AI FAQ”.")
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.POLICY)
    url = models.URLField("URL", max_length=2000, blank=True)
    description = models.TextField(blank=True)
    is_illustrative = models.BooleanField(
        "illustrative text",
        default=False,
        help_text="Its versions hold illustrative text, not the real wording: every page and PDF of it says so.",
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "name"], name="tracked_source_unique_name_per_matter"),
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="tracked_source_kind_valid"),
        ]

    def __str__(self):
        return text.shown(self.name)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


# A version's dates, each in its own prefixed columns (first_seen_start…, effective_first_day…).
FIRST_SEEN = PartialDateColumns("first_seen")
EFFECTIVE = PartialDateColumns("effective")

# Kept at module level, as EVENT_HISTORY is, so that the services write one history row after the audiences are set.
SOURCE_VERSION_HISTORY = HistoricalRecords(m2m_fields=["audiences"])


class SourceVersion(models.Model):
    """One version of a tracked source: a document of the matter (its file, hash and exhibit number), how and when it
    was captured, the date it was first seen and the date it took effect when it states one. Who added it is read
    from its first history row (evidence.selectors_sources.version_added_by)."""

    EDITABLE_FIELDS = ("capture_method", "captured_at", "note")

    # The source's (and the document's) matter, checked by the services: kept for scoping and the history chain.
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="source_versions")
    source = models.ForeignKey(TrackedSource, on_delete=models.PROTECT, related_name="versions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="source_versions")
    capture_method = models.CharField(max_length=20, choices=CaptureMethod.choices, default=CaptureMethod.UPLOAD)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When it was captured or archived.")
    first_seen_date = FIRST_SEEN
    effective_date = EFFECTIVE
    audiences = models.ManyToManyField(Audience, blank=True, related_name="versions")
    note = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = SOURCE_VERSION_HISTORY

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        # The order in which a source changed is evidence.services.sources.version_order, not a column's.
        ordering = ["id"]
        constraints = [
            *FIRST_SEEN.constraints("source_version"),
            *EFFECTIVE.constraints("source_version"),
            models.UniqueConstraint(fields=["source", "document"], name="source_version_unique_document_per_source"),
            models.CheckConstraint(
                condition=Q(capture_method__in=CaptureMethod.values), name="source_version_capture_method_valid"
            ),
        ]

    def __str__(self):
        return text.shown(f"{self.source.name}, {self.document.exhibit_label}")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def placed_by(self) -> tuple[str, str]:
        """What places the version on its source's time line (services.sources.version_order), as (what, when):
        ("Effective", "Nov 2023"), ("First seen", …), ("Captured", …) or ("", "Date unknown")."""
        if not self.effective_date.undated:
            return "Effective", self.effective_date.display()
        if not self.first_seen_date.undated:
            return "First seen", self.first_seen_date.display()
        if self.captured_at is not None:
            return "Captured", dates.display_instant(self.captured_at, self.matter.time_zone)
        return "", "Date unknown"

    @property
    def first_seen_display(self) -> str:
        return _shown(self.first_seen_date)

    @property
    def effective_display(self) -> str:
        return _shown(self.effective_date)


def _shown(value: dates.PartialDate) -> str:
    return "" if value.undated else value.display()
