"""Events (the facts of the chronology), with their actors, issues and history."""

from django.db import models, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from simple_history.models import HistoricalRecords

from evidence import text
from evidence.models.choices import EventKind, EventStatus
from evidence.models.matters import Actor, Issue, Matter
from evidence.models.partial_dates import PartialDateFields


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


# Kept at module level so services can write one history row after the m2m fields are set (see save_with_history).
# The number is given once, at creation, and never changes: like a document's page count it is no column of the
# history, whose rows are hashed whole into the matter's history chain (services/chain.py).
EVENT_HISTORY = HistoricalRecords(m2m_fields=["actors", "issues"], excluded_fields=["number"])


def m2m_history_models(model) -> dict[str, type]:
    """Field name -> history model of each m2m field `model` keeps in its history ("actors" ->
    HistoricalEvent_actors). simple-history's HistoricalRecords.m2m_models is one dict shared by the histories of
    every model, so it is read for `model` alone here."""
    return {field.name: m2m for field, m2m in HistoricalRecords.m2m_models.items() if field.model is model}


def event_numbers_allocate(matter_id: int, count: int = 1) -> range:
    """The next `count` numbers of the matter's events, without gaps or duplicates even under concurrent writes: the
    counter's UPDATE locks the matter's row until the caller's transaction ends (as exhibit numbers are handed out).
    The counter never falls behind the numbers given: a matter saved from a copy read before events were added would
    write an older count back, so the highest number in use is taken when it is higher."""
    highest = Event.objects.filter(matter_id=OuterRef("pk")).order_by().values("matter_id").annotate(top=Max("number"))
    with transaction.atomic():
        in_use = Coalesce(Subquery(highest.values("top")[:1]), 0)
        Matter.objects.filter(pk=matter_id).update(last_event_number=Greatest(F("last_event_number"), in_use) + count)
        last = Matter.objects.values_list("last_event_number", flat=True).get(pk=matter_id)
    return range(last - count + 1, last + 1)


class Event(PartialDateFields):
    # What people edit besides the date, actors, issues and citations: the services, forms and imports take these.
    EDITABLE_FIELDS = (
        "title", "description", "kind", "status", "is_key", "is_privileged", "source_note", "external_id", "order",
    )  # fmt: skip

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="events")
    # The event's own number in its matter (1, 2, 3… in order of creation), which the filing and internal versions
    # of the chronology print, so that "No. 12" names the same fact in every export whatever is added or filtered.
    number = models.PositiveIntegerField(editable=False)
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
            models.UniqueConstraint(fields=["matter", "number"], name="event_unique_number_per_matter"),
            models.CheckConstraint(condition=Q(number__gte=1), name="event_number_positive"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EventStatus.values), name="event_status_valid"),
        ]

    def __str__(self):
        return text.shown(f"{self.date_display}: {self.title}")

    def save(self, *args, **kwargs):
        if self.number is None and self._state.adding and self.matter_id:
            self.number = event_numbers_allocate(self.matter_id)[0]
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_disputed(self) -> bool:
        return self.status == EventStatus.DISPUTED
