"""Editions: the chronologies that left the app as PDF or Word, kept so that a later state can be compared with them.

An edition is written once, in the transaction that hands its file over, and never changed (append-only like the
access log; on PostgreSQL a trigger refuses UPDATE and DELETE, migration 0022). It holds who made it and when, the
options and filters it was made with, the history chain head it was built from, and two stored files, both
content-addressed by their SHA-256 and never written over: the file itself, and the snapshot of what it printed
(evidence.editions.snapshot), from which comparisons are made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from evidence.models.access import AppendOnlyModel


class Edition(AppendOnlyModel):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    matter = models.ForeignKey("evidence.Matter", on_delete=models.PROTECT, related_name="editions")
    # 1, 2, 3… per matter: the number the export page lists and compare_edition --edition takes.
    number = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # PROTECT, as in the access log: a user who exported is deactivated, never deleted; the name is kept as it was.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    prepared_by = models.CharField(max_length=300, blank=True)  # the name printed on the edition
    job = models.ForeignKey("evidence.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    via = models.CharField(max_length=40)  # "export page", "export_chronology command"
    format = models.CharField(max_length=10, choices=Format.choices)
    options = models.JSONField()  # evidence.exporting.ExportOptions.to_json()
    filters_described = models.JSONField(default=list)
    # Whether its filters took privileged events in: such an edition is shown only to whom may export them.
    includes_privileged = models.BooleanField()
    chain_head = models.CharField(max_length=100)
    events_count = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    file = models.FileField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    snapshot = models.FileField(max_length=200)
    snapshot_size = models.PositiveBigIntegerField()
    snapshot_sha256 = models.CharField("SHA-256 of the snapshot", max_length=64)
    # An edition restored from a matter archive keeps its snapshot byte for byte, and so the ids of the instance it was
    # made in: {"events": {snapshot id (as text): the event's id here}, "documents": {…}}, by which comparisons match
    # its events and citations. Empty for an edition made here.
    snapshot_ids = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["matter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="edition_unique_number_per_matter"),
            models.CheckConstraint(condition=Q(format__in=["pdf", "docx"]), name="edition_format_valid"),
        ]

    def __str__(self):
        return f"Edition {self.number} ({self.get_format_display()})"
