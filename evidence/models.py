"""The domain of a litigation chronology: matters, dated events, evidence documents and citations.

Every model keeps its full history (django-simple-history). Writes go through evidence.services, which sets the
history user and reason before saving; nothing here writes by itself.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from evidence import dates


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class EventKind(models.TextChoices):
    SETTING_INTRODUCED = "setting_introduced", "Setting introduced"
    SETTING_CHANGED = "setting_changed", "Setting changed"
    POLICY_EDIT = "policy_edit", "Policy edit"
    HELP_PAGE_EDIT = "help_page_edit", "FAQ / help-page edit"
    USER_COMMUNICATION = "user_communication", "User communication"
    INTERNAL_COMMUNICATION = "internal_communication", "Internal communication"
    PUBLIC_STATEMENT = "public_statement", "Public statement"
    COURT_FILING = "court_filing", "Court filing"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    UNDISPUTED = "undisputed", "Undisputed"
    DISPUTED = "disputed", "Disputed"
    UNVERIFIED = "unverified", "Unverified"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Matter(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    short_title = models.CharField(max_length=200, help_text="Used in running headers, e.g. “Doe v. LinkedIn”.")
    court = models.CharField(max_length=300, blank=True)
    case_number = models.CharField(max_length=100, blank=True)
    parties = models.TextField(blank=True, help_text="As the caption gives them, one line per party or side.")
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA zone in which times without a stated zone are read and shown."
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(i, name) for i, name in enumerate(dates.MONTH_NAMES, start=1)],
        help_text="The month the matter's fiscal year starts in: with July, “FY2024” is July 2023 – June 2024.",
    )
    confidentiality_legend = models.CharField(max_length=300, blank=True)
    exhibit_prefix = models.CharField(max_length=20, default="PX-")
    # The last exhibit number handed out; incremented under a row lock by document_intake.
    last_exhibit_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="matters")

    history = HistoricalRecords(excluded_fields=["last_exhibit_number"])

    class Meta:
        ordering = ["short_title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__isnull=True) | Q(fiscal_year_start_month__range=(1, 12)),
                name="matter_fiscal_year_start_month_valid",
            )
        ]

    def __str__(self):
        return self.short_title

    def read_date(self, value: "dates.PartialDate | str") -> dates.PartialDate:
        """A date as this matter stores it: text is parsed, a fiscal year ("FY2024") is read in the matter's fiscal
        calendar, and a time stated without a zone is read in the matter's zone (never in the server's)."""
        if isinstance(value, str):
            value = dates.parse(value)
        value = dates.fiscal_year(value, self.fiscal_year_start_month)
        start, end = value.start, value.end
        if not (start and start.precision == dates.Precision.MINUTE and not start.tz):
            return value

        def zoned(point):
            if point is None or point.precision != dates.Precision.MINUTE:
                return point
            return dataclasses.replace(point, tz=self.time_zone)

        return dataclasses.replace(value, start=zoned(start), end=zoned(end))

    def rederive_dates(self) -> int:
        """Recompute the derived date columns of the matter's timed events and documents, which depend on its zone
        (a time sorts and filters by its calendar day there): to be called when the time zone changes. Derived
        columns only, so no history is written. Returns the number of rows updated."""
        timed = Q(date_precision=dates.Precision.MINUTE) | Q(date_end_precision=dates.Precision.MINUTE)
        count = 0
        for model in (Event, Document):
            rows = list(model.objects.filter(timed, matter=self))
            for row in rows:
                row.date = row.date
            model.objects.bulk_update(rows, PartialDateFields.DERIVED_COLUMNS, batch_size=500)
            count += len(rows)
        return count

    def clean(self):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}; use an IANA name."}) from error


class Membership(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "user"], name="membership_unique_user_per_matter"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.matter}"


class Actor(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="actor_unique_name_per_matter")]

    def __str__(self):
        return self.name


class Issue(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="issues")
    name = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="issue_unique_name_per_matter")]

    def __str__(self):
        return self.name


class PartialDateFields(models.Model):
    """A evidence.dates.PartialDate stored as columns: exact parts, plus derived columns for sorting and filtering.

    Read and write it through the `date` property; the derived columns are refreshed on every assignment.
    """

    # The columns that hold the date as known, and those derived from it for sorting and filtering.
    STORED_COLUMNS = (
        "date_precision", "date_start", "date_end_precision", "date_end", "date_tz", "date_approximate", "date_bound",
    )  # fmt: skip
    DERIVED_COLUMNS = ("date_sort", "date_first_day", "date_last_day")

    date_precision = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(p.value, p.name.lower()) for p in dates.Precision]
    )
    date_start = models.CharField(max_length=16, blank=True, help_text="ISO form to the known precision, e.g. 2024-08.")
    date_end_precision = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(p.value, p.name.lower()) for p in dates.Precision]
    )
    date_end = models.CharField(max_length=16, blank=True)
    date_tz = models.CharField(max_length=64, blank=True)
    date_approximate = models.BooleanField(default=False)
    date_bound = models.CharField(
        max_length=6, blank=True, choices=[(b.value, b.value or "exact") for b in dates.Bound]
    )
    date_sort = models.CharField(max_length=40, default=dates.UNDATED_SORT_KEY, editable=False, db_index=True)
    date_first_day = models.DateField(null=True, blank=True, editable=False)
    date_last_day = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def date_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        # "isnull=False" is spelled out because a CHECK whose condition is NULL passes.
        precisions = [p.value for p in dates.Precision]
        return [
            models.CheckConstraint(
                condition=(
                    Q(date_precision__isnull=True, date_start="")
                    | Q(date_precision__isnull=False, date_precision__in=precisions) & ~Q(date_start="")
                ),
                name=f"{prefix}_date_precision_matches_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_end_precision__isnull=True, date_end="")
                    | Q(date_end_precision__isnull=False, date_end_precision__in=precisions) & ~Q(date_end="")
                ),
                name=f"{prefix}_date_end_precision_matches_end",
            ),
            models.CheckConstraint(condition=Q(date_end="") | ~Q(date_start=""), name=f"{prefix}_date_end_needs_start"),
            models.CheckConstraint(
                condition=Q(date_bound__in=[b.value for b in dates.Bound]) & (Q(date_bound="") | Q(date_end="")),
                name=f"{prefix}_date_bound_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_first_day__isnull=True) | Q(date_first_day__lte=models.F("date_last_day")),
                name=f"{prefix}_date_days_ordered",
            ),
        ]

    @property
    def date(self) -> dates.PartialDate:
        return dates.from_columns(
            start=self.date_start,
            end=self.date_end,
            tz=self.date_tz,
            approximate=self.date_approximate,
            bound=self.date_bound,
        )

    @date.setter
    def date(self, value: dates.PartialDate) -> None:
        """Stores the date and derives date_sort, date_first_day and date_last_day (see evidence.dates.columns) in
        the matter's zone; a fiscal year is read in the matter's fiscal calendar. Without a matter yet, times are
        placed in their own zones: the services assign the date again once the matter is known."""
        # getattr: the importer runs this setter on a bare namespace to learn the stored columns of a date.
        matter = self.matter if getattr(self, "matter_id", None) is not None else None
        if value.fiscal:
            value = dates.fiscal_year(value, matter.fiscal_year_start_month if matter else None)
        start, end = value.start, value.end
        if start and end and start.tz != end.tz and end.tz:
            raise ValidationError("A range must use one time zone at both ends.")
        self.date_precision = start.precision.value if start else None
        self.date_start = start.iso() if start else ""
        self.date_end_precision = end.precision.value if end else None
        self.date_end = end.iso() if end else ""
        self.date_tz = (start.tz if start else "") or (end.tz if end else "")
        self.date_approximate = value.approximate
        self.date_bound = value.bound.value
        for name, derived in dates.derived(value, matter.time_zone if matter else None).items():
            setattr(self, name, derived)

    @property
    def date_display(self) -> str:
        return self.date.display()

    @property
    def date_drawn_days(self) -> tuple[datetime.date, datetime.date] | None:
        """The days a chart draws the date across: its span, with the open side of "before"/"after" cut at the
        bound, so that "after Aug 2024" is drawn on Sept 1, 2024 and not to the end of time."""
        first, last = self.date_first_day, self.date_last_day
        if first is None:
            return None
        return (last if first == datetime.date.min else first), (first if last == datetime.date.max else last)


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


# Kept at module level so services can write one history row after the m2m fields are set (see save_with_history).
EVENT_HISTORY = HistoricalRecords(m2m_fields=["actors", "issues"])


class Event(PartialDateFields):
    # What people edit besides the date, actors, issues and citations: the services, forms and imports take these.
    EDITABLE_FIELDS = (
        "title", "description", "kind", "status", "is_key", "is_privileged", "source_note", "external_id", "order",
    )  # fmt: skip

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices, default=EventKind.OTHER)
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.UNVERIFIED)
    is_key = models.BooleanField("key fact", default=False)
    is_privileged = models.BooleanField("privileged (work product)", default=False)
    source_note = models.CharField(
        max_length=500, blank=True, help_text="A source that is not an exhibit, e.g. “Complaint ¶ 2” or “Dkt. 1”."
    )
    external_id = models.CharField(max_length=100, blank=True, help_text="The row's id in an imported spreadsheet.")
    order = models.IntegerField(default=0, help_text="Orders events that share a date.")
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    issues = models.ManyToManyField(Issue, blank=True, related_name="events")
    # Incremented on every save through the services: an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The citations (document, pinpoint, note) as of the last write, so that each history row, a version, holds them:
    # a version is the whole event. Written only by evidence.services.citations.event_version_save; None where it
    # was never recorded (rows older than this field).
    citations_snapshot = models.JSONField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = EVENT_HISTORY

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["date_sort", "order", "id"]
        indexes = [models.Index(fields=["matter", "date_sort", "order", "id"], name="event_timeline_order")]
        constraints = [
            *PartialDateFields.date_constraints("event"),
            models.UniqueConstraint(
                fields=["matter", "external_id"],
                condition=~Q(external_id=""),
                name="event_unique_external_id",
                violation_error_message="Another event in this matter already has this external id.",
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="event_status_valid"),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_disputed(self) -> bool:
        return self.status == EventStatus.DISPUTED


class Document(PartialDateFields):
    # The metadata people edit after intake (besides the date); the file, its hash and number never change.
    EDITABLE_FIELDS = ("title", "author", "source_url", "captured_at", "bates_start", "bates_end", "is_privileged")

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
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["extracted_text"])

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
        return f"{self.exhibit_label} {self.title}"

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


class Job(models.Model):
    """A long-running import or export, so the page that started it can show progress and hand over the result."""

    class Kind(models.TextChoices):
        IMPORT_EVENTS = "import_events", "Import events"
        PREVIEW_EVENTS = "preview_events", "Preview events import"
        IMPORT_DOCUMENTS = "import_documents", "Import documents"
        EXPORT = "export", "Export chronology"

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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class Invitation(models.Model):
    """An owner's invitation, by e-mail, to join a matter with a role. Only a hash of the link's token is kept; the
    link works once, until it expires or is revoked, and only for a signed-in user with the invited address."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["matter", "email"], name="invitation_matter_email")]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True), name="invitation_used_once"
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.email} to {self.matter} as {self.get_role_display()}"


from evidence.models_access import AccessEvent, IntegrityCheck  # noqa: E402,F401  (registered with the app)
