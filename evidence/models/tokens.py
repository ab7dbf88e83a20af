"""Per-user API tokens: only a hash of each token is kept; the token itself is shown once, when it is made."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A token acts as its user, with the user's roles in each matter and nothing more (evidence.permissions).

    The token is random (256 bits), so its SHA-256 is enough to find it and proves nothing to someone who reads the
    table; a slow password hash would only cost every API request its time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “review platform sync”.")
    # The first characters of the token, so that its owner can tell tokens apart; not enough to use one.
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
