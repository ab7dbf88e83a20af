"""Invitations to a matter. An owner invites an e-mail address, never an account: nothing here looks up whether the
address belongs to anyone, so the owner learns nothing about who has an account. The link carries a random token of
which only a SHA-256 hash is stored; it works once, until it expires or is revoked, and only for a signed-in user
whose account has the invited address. Accepting creates the membership through membership_set."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from evidence.models import Invitation, Matter, Role
from evidence.services.matters import membership_set


class InvitationUnusable(ValidationError):
    """The link cannot be used (unknown, expired, used, revoked, or for another address); the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitations_pending(matter: Matter) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            matter=matter, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("matter", "invited_by").filter(token_hash=token_hash(token)).first()


def invitation_create(*, matter: Matter, user, email: str, role: Role, link_for: Callable[[str], str]) -> Invitation:
    """Record the invitation, then e-mail its link (`link_for(token)`: the acceptance page's absolute address).

    An earlier pending invitation of the same address to the same matter is revoked, so only the newest link works.
    The mail is sent after the row is committed, here rather than in an on_commit hook, so that a mail server's
    refusal reaches the caller (the page says so) instead of being lost after the response.
    """
    invitation, token = _invitation_record(matter=matter, user=user, email=email, role=role)
    _send(invitation, link_for(token))
    return invitation


@transaction.atomic
def _invitation_record(*, matter: Matter, user, email: str, role: Role) -> tuple[Invitation, str]:
    email = email.strip().lower()
    now = timezone.now()
    invitations_pending(matter).filter(email=email).update(revoked_at=now, revoked_by=user)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        matter=matter,
        email=email,
        role=Role(role),
        token_hash=token_hash(token),
        invited_by=user,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("This invitation was already accepted or revoked.")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = user
    invitation.save(update_fields=["revoked_at", "revoked_by"])


def invitation_check(invitation: Invitation | None, user) -> None:
    """Raise InvitationUnusable, with the reason to show, unless `user` may accept `invitation` now."""
    if invitation is None:
        raise InvitationUnusable("This invitation link is not valid. Ask the matter's owner for a new one.")
    if invitation.accepted_at:
        raise InvitationUnusable("This invitation has already been used. Each link works once.")
    if invitation.revoked_at:
        raise InvitationUnusable("This invitation was withdrawn. Ask the matter's owner for a new one.")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable("This invitation has expired. Ask the matter's owner for a new one.")
    if (user.email or "").strip().lower() != invitation.email:
        raise InvitationUnusable(
            "This invitation was sent to a different e-mail address than your account's. Log in with the account "
            "that has the invited address, or ask your firm's administrator to set it on your account."
        )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Invitation:
    """Make `user` a member with the invited role, once: the row is locked, so two tabs cannot both accept."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    invitation_check(invitation, user)
    inviter = invitation.invited_by.get_username()
    membership_set(
        matter=invitation.matter,
        user=user,
        member=user,
        role=Role(invitation.role),
        reason=f"accepted the invitation sent by {inviter}",
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def _send(invitation: Invitation, link: str) -> None:
    # The message names neither the matter nor the firm's client: an address typed wrong must not learn either.
    context = {"invitation": invitation, "link": link, "inviter": invitation.invited_by.get_username()}
    send_mail(
        subject="You are invited to a matter in Case Timeline",
        message=render_to_string("registration/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
