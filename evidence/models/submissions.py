"""One submission, one event: the one-time token a create form carries, kept with the event it created."""

from django.db import models

from evidence.models.events import Event
from evidence.models.matters import Matter


class SubmissionToken(models.Model):
    """A create form's token (a uuid4 rendered as a hidden field), stored with the event its first submission made.

    Submitting the same form again (Back then submit, a double click, a retried request) finds the token here and
    is shown that event instead of creating a second one; under concurrency the unique constraint decides."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=36)
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="submission_token")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["matter", "token"], name="submission_token_unique_per_matter")]

    def __str__(self):
        return f"{self.token} → event {self.event_id}"
