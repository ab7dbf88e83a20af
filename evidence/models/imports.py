"""What a matter's team told the import about their spreadsheets, remembered for the next file."""

from django.conf import settings
from django.db import models

from evidence.models.matters import Matter


class ImportMapping(models.Model):
    """The matter's remembered import mapping (evidence.importing.mapping.Mapping as JSON): which field an
    unrecognised column gives and what an unknown kind or status means. Updated by each import written with it; a
    setting, not part of the record (the events it produced keep their own history)."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="import_mapping")
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self):
        return f"Import mapping of {self.matter}"
