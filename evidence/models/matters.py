"""A matter (one case), its members and their roles, its actors and issues, and invitations to join it."""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from evidence import dates, text
from evidence.models.choices import ActorKind, Role


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
    # The last event number handed out (Event.number): evidence.models.events.event_numbers_allocate.
    last_event_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="matters")

    history = HistoricalRecords(excluded_fields=["last_exhibit_number", "last_event_number"])

    class Meta:
        ordering = ["short_title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__isnull=True) | Q(fiscal_year_start_month__range=(1, 12)),
                name="matter_fiscal_year_start_month_valid",
            )
        ]

    def __str__(self):
        return text.shown(self.short_title)

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
        """Recompute the derived date columns of the matter's timed dates (events, documents, source versions), which
        depend on its zone (a time sorts and filters by its calendar day there): to be called when the time zone
        changes. Derived columns only, so no history is written. Returns the number of dates updated."""
        count = 0
        for rows_of, names in (
            (self.events, ("date",)),
            (self.documents, ("date",)),
            (self.source_versions, ("first_seen_date", "effective_date")),
        ):
            model = rows_of.model
            for name in names:
                columns = getattr(model, name)
                rows = list(model.objects.filter(columns.timed(), matter=self))
                for row in rows:
                    setattr(row, name, getattr(row, name))
                model.objects.bulk_update(rows, columns.derived_columns, batch_size=500)
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
    description = models.TextField("role / description", blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    emails = models.CharField("e-mail addresses", max_length=1000, blank=True, help_text="Separated by commas.")
    # Retired: no longer offered for new events (a duplicate merged away, a name no longer used); events keep it.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="actor_unique_name_per_matter")]

    def __str__(self):
        return text.shown(self.name)


class Issue(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="issues")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="issue_unique_name_per_matter")]

    def __str__(self):
        return text.shown(self.name)


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
