"""The hash chain over a matter's history: one link per history row of the matter (of the matter itself, its
memberships, actors, issues, events with each version's actors and issues, documents and citations, audiences,
tracked sources and their versions with each version's audiences), in the order they were written.

A link holds the SHA-256 of its history row's content (`content_sha256`, see evidence.services.chain.row_sha256) and
`chain_sha256`, the SHA-256 of that and of the previous link's `chain_sha256`, so that changing, removing or
reordering any history row breaks every link after it. Links are written in the same transaction as the history row
(evidence.services.chain.chain_append) and are append-only like the access log (on PostgreSQL a trigger, migration
0012, refuses UPDATE and DELETE of their rows).
"""

from django.db import models

from evidence.models.access import AppendOnlyModel

EMPTY_HEAD = "empty"


class HistoryLink(AppendOnlyModel):
    # No foreign key constraint in the database, and no index of its own (migration 0016): a link is only written
    # after its matter's HistoryChainHead row is locked, and that row's constraint holds the matter (and keeps it
    # from being deleted). The per-row check of this one cost a 50,000-event import about a second at commit, for
    # its quarter of a million links; the unique (matter, sequence) index serves every lookup by matter.
    matter = models.ForeignKey(
        "evidence.Matter",
        on_delete=models.PROTECT,
        related_name="history_links",
        db_constraint=False,
        db_index=False,
    )
    sequence = models.PositiveBigIntegerField(editable=False)
    # The historical model's label ("evidence.historicalevent") and the history row's history_id (m2m_history_id for
    # an m2m history row, "evidence.historicalevent_actors").
    model = models.CharField(max_length=100, editable=False)
    history_id = models.PositiveBigIntegerField(editable=False)
    content_sha256 = models.CharField(max_length=64, editable=False)
    previous_sha256 = models.CharField(max_length=64, editable=False)
    chain_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["matter", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "sequence"], name="history_link_unique_sequence_per_matter"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.model} {self.history_id}"

    @property
    def head_text(self) -> str:
        """ "#42 3f2a9c01d4e5b6a7" : the sequence and the first 16 hex digits of the chain hash."""
        return f"#{self.sequence} {self.chain_sha256[:16]}"


class HistoryChainHead(models.Model):
    """The last link of a matter's chain. Its row is locked (SELECT ... FOR UPDATE) by each append, so a matter's
    links are numbered one after the other; a row of its own rather than the matter's, so that appending (which
    happens after a writer has locked the rows it changes) never waits on the matter row an import or an intake
    holds while it waits on those rows."""

    matter = models.OneToOneField("evidence.Matter", on_delete=models.PROTECT, related_name="history_head")
    sequence = models.PositiveBigIntegerField(default=0)
    chain_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.head_text

    @property
    def head_text(self) -> str:
        """ "#42 3f2a9c01d4e5b6a7": the sequence and the first 16 hex digits of the chain hash; "empty" for a matter
        with nothing chained yet. What every export states as the head it was built from."""
        return f"#{self.sequence} {self.chain_sha256[:16]}" if self.sequence else EMPTY_HEAD
