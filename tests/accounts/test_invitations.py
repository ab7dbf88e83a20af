"""Invitations: an owner invites an e-mail address; the page says the same whether or not anyone has it; the e-mailed
link works once, until it expires or is revoked, for a signed-in user with that address."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from evidence.models import Invitation, Membership, Role
from evidence.services.invitations import token_hash

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the relay hung up")


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


def invite(client, matter, email, role="editor"):
    url = reverse("matter_members", args=[matter.slug])
    return client.post(url, {"action": "invite", "invite-email": email, "invite-role": role}, follow=True)


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/\S+)", message.body).group(1)


def test_the_answer_is_the_same_whether_or_not_an_account_exists(owner_client, matter, make_user):
    make_user(username="erin", email="erin@firm.example")
    notes = []
    for email in ("erin@firm.example", "nobody@firm.example"):
        response = invite(owner_client, matter, email)
        page = response.content.decode()
        notes.append(re.search(r'<ul class="messages".*?</ul>', page, re.S).group(0).replace(email, "ADDRESS"))
        assert f"Invitation sent to {email}." in page
    assert notes[0] == notes[1]
    rows = re.findall(r"<tr>\s*<td>[^<]+@firm.example</td>.*?</tr>", page, re.S)
    assert len(rows) == 2
    assert re.sub(r"erin|nobody|value=\"\d+\"", "", rows[0]) == re.sub(r"erin|nobody|value=\"\d+\"", "", rows[1])
    assert [m.to for m in mail.outbox] == [["erin@firm.example"], ["nobody@firm.example"]]
    assert not Membership.objects.filter(matter=matter, user__username="erin").exists()


def test_the_mail_carries_a_link_but_not_the_matter(owner_client, user, matter):
    invite(owner_client, matter, "Frank@Firm.example", role="viewer")
    message = mail.outbox[0]
    assert matter.short_title not in message.subject + message.body
    assert user.username in message.body and "viewer role" in message.body
    assert "ask your firm's administrator" in message.body
    token = link_in(message).rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.email == "frank@firm.example"
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_pending_invitations_are_listed_and_can_be_revoked(owner_client, matter, make_user):
    invite(owner_client, matter, "gail@firm.example")
    page = owner_client.get(reverse("matter_members", args=[matter.slug])).content.decode()
    assert "gail@firm.example" in page and "Revoke" in page
    invitation = Invitation.objects.get()
    response = owner_client.post(
        reverse("matter_members", args=[matter.slug]), {"action": "revoke", "invitation": invitation.pk}, follow=True
    )
    assert "revoked; its link no longer works" in response.content.decode()
    assert "gail@firm.example" not in response.content.decode().split("Invitations", 1)[1].split("Invite someone")[0]
    gail = make_user(username="gail", email="gail@firm.example")
    owner_client.force_login(gail)
    response = owner_client.get(link_in(mail.outbox[0]))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_accepting_makes_a_membership_once(client, user, matter, make_user):
    client.force_login(user)
    invite(client, matter, "hana@firm.example", role="editor")
    link = link_in(mail.outbox[0])
    client.logout()

    # Logged out: asked to log in (or to get an account); nothing about the matter is shown.
    page = client.get(link).content.decode()
    assert "Log in</a> to see it and accept" in page and "Ask your firm's administrator" in page
    assert matter.short_title not in page

    hana = make_user(username="hana", email="Hana@firm.example")
    client.force_login(hana)
    assert client.get(reverse("timeline", args=[matter.slug])).status_code == 404
    page = client.get(link).content.decode()
    assert f"invited you to join <strong>{matter.short_title}</strong>" in page and "editor" in page
    response = client.post(link)
    assert response["Location"] == reverse("timeline", args=[matter.slug])
    membership = Membership.objects.get(matter=matter, user=hana)
    assert membership.role == Role.EDITOR
    assert membership.history.first().history_change_reason == f"accepted the invitation sent by {user.username}"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == hana and invitation.accepted_at is not None
    assert client.get(reverse("timeline", args=[matter.slug])).status_code == 200

    response = client.post(link)
    assert response.status_code == 410 and "already been used" in response.content.decode()


def test_only_the_invited_address_can_accept(client, user, matter, make_user):
    client.force_login(user)
    invite(client, matter, "ivan@firm.example")
    link = link_in(mail.outbox[0])
    client.force_login(make_user(username="mallory", email="mallory@firm.example"))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410 and "different e-mail address" in response.content.decode()
        assert matter.short_title not in response.content.decode()
    assert not Membership.objects.filter(matter=matter, user__username="mallory").exists()


def test_expired_and_unknown_links(client, user, matter, make_user):
    client.force_login(user)
    invite(client, matter, "jo@firm.example")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(make_user(username="jo", email="jo@firm.example"))
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 410 and "expired" in response.content.decode()
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 410 and "not valid" in response.content.decode()
    assert not Membership.objects.filter(matter=matter, user__username="jo").exists()


def test_inviting_again_replaces_the_pending_link(owner_client, matter, settings):
    settings.INVITATION_DAYS = 2
    for _ in range(2):
        invite(owner_client, matter, "kim@firm.example")
    first, second = Invitation.objects.order_by("created_at")
    assert first.revoked_at is not None and second.revoked_at is None
    assert second.expires_at - second.created_at == timedelta(days=2)


def test_only_owners_invite_or_revoke(client, matter, editor):
    client.force_login(editor)
    url = reverse("matter_members", args=[matter.slug])
    assert (
        client.post(url, {"action": "invite", "invite-email": "x@y.example", "invite-role": "owner"}).status_code == 403
    )
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_mail_failure_is_reported_not_a_crash(owner_client, matter, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.accounts.test_invitations.FailingBackend"}}
    response = invite(owner_client, matter, "lee@firm.example")
    assert response.status_code == 200
    assert "the e-mail could not be sent" in response.content.decode()
