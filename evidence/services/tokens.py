"""API tokens: made (the token is returned this once; only its hash is kept), revoked, and recognised."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.models import ApiToken
from evidence.text import clean

TOKEN_PREFIX = "ct_"
# A request marks its token as used at most this often: one UPDATE per token a minute, not one per request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token of `user`, and the token itself, which is not stored and cannot be shown again."""
    name = " ".join(clean(name).split())
    if not name:
        raise ValidationError({"name": "Name the token after what will use it, e.g. “review platform sync”."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens (another user's is not found). Revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token `raw` is, with its user, or None: unknown, revoked, or its user deactivated."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
