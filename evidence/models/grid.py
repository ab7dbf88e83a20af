"""The timeline grid: each user's settings in a matter, and the record of each bulk edit (for its undo)."""

from django.conf import settings
from django.db import models

from evidence.models.matters import Matter

# The grid's optional columns, in their order; the date and the title are always shown.
GRID_COLUMNS = ("kind", "status", "key", "issues", "actors", "sources")
# The documents grid's optional columns; the exhibit number and the title are always shown.
DOCUMENT_COLUMNS = ("date", "author", "type", "size", "pages", "cited", "privileged")


def every_document_column() -> list[str]:
    return list(DOCUMENT_COLUMNS)


class Density(models.TextChoices):
    COMPACT = "compact", "Compact: one line per event"
    COMFORTABLE = "comfortable", "Comfortable: whole cells, wrapped"


class GridSettings(models.Model):
    """How one user works in one matter's timeline: the columns shown, grid or cards, which panels are open, and the
    standing "working on" reason every quick edit records; and the same choices for its documents page (`document_`
    columns, layout and density). Not evidence: no history."""

    class Layout(models.TextChoices):
        GRID = "grid", "Grid"
        CARDS = "cards", "Cards"  # the timeline's
        LIST = "list", "List"  # the documents page's detailed list

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    columns = models.JSONField(default=list, help_text="The optional columns shown (GRID_COLUMNS).")
    layout = models.CharField(max_length=5, choices=Layout.choices, default=Layout.GRID)
    density = models.CharField(max_length=12, choices=Density.choices, default=Density.COMPACT)
    filters_open = models.BooleanField(default=False)
    visual_open = models.BooleanField(default=False)
    working_on = models.CharField(max_length=300, blank=True)
    document_columns = models.JSONField(
        default=every_document_column, help_text="The optional columns of the documents grid (DOCUMENT_COLUMNS)."
    )
    document_layout = models.CharField(max_length=5, choices=Layout.choices, default=Layout.GRID)
    document_density = models.CharField(max_length=12, choices=Density.choices, default=Density.COMPACT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "matter"], name="grid_settings_unique_per_user")]

    def __str__(self):
        return f"{self.user} in {self.matter}"


class SavedView(models.Model):
    """A named way of looking at a matter's timeline: its filters and sort (the query string, as the address carries
    them), columns and density; the user's own, or shared with everyone in the matter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True, help_text="The filters and sort, as a query string.")
    columns = models.JSONField(default=list)
    density = models.CharField(max_length=12, choices=Density.choices, default=Density.COMPACT)
    shared = models.BooleanField(default=False, help_text="Listed for every member of the matter.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "user", "name"],
                name="saved_view_unique_name_per_user",
                violation_error_message="You already have a view of this name in this matter.",
            )
        ]

    def __str__(self):
        return self.name


class BulkEdit(models.Model):
    """One bulk action on a selection of events: what it did, why, and for each event the history row it was before
    and the version it made, so that an undo can restore exactly those versions (and see who changed one since)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    value = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=400)
    reason = models.CharField(max_length=300)
    # [{"event": id, "before": history_id of the version it replaced, "after": the version it made}, …]
    entries = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return self.description

    @property
    def count(self) -> int:
        return len(self.entries)
