"""API tokens: made on the user's page (shown once, only a hash kept), revoked there, and refused once revoked."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import ApiToken
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_token_page_makes_a_token_shown_once_and_keeps_only_its_hash(user, matter):
    page = _logged_in(user)
    response = page.post(reverse("api_tokens"), {"name": "review platform sync"}, follow=True)
    raw = response.context["fresh"]["token"]
    assert raw.startswith("ct_") and len(raw) > 40
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.name == "review platform sync"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {getattr(token, f.attname) for f in ApiToken._meta.fields if f.attname != "id"}
    again = page.get(reverse("api_tokens")).content.decode()
    assert raw not in again  # shown once
    assert "review platform sync" in again and token.prefix in again

    api = Client(headers={"Authorization": f"Bearer {raw}"})
    listed = api.get("/api/matters/").json()["results"]
    assert [m["slug"] for m in listed] == [matter.slug]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "never" not in page.get(reverse("api_tokens")).content.decode().split("Your tokens")[1]


def test_a_revoked_token_is_refused(user, matter):
    api = api_client(user)
    assert api.get("/api/matters/").status_code == 200
    token = ApiToken.objects.get(user=user)
    _logged_in(user).post(reverse("api_tokens"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = api.get("/api/matters/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API token."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_malformed_and_missing_tokens_are_refused(matter):
    for header in ("Bearer ct_not-a-token", "Bearer ", "Bearer x" * 300):
        response = Client(headers={"Authorization": header}).get(f"/api/matters/{matter.slug}/events/")
        assert response.status_code == 401, header
    response = Client().get(f"/api/matters/{matter.slug}/events/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_a_session_does_not_open_the_api(user, matter):
    """The API takes tokens only: a logged-in browser (and a page that could forge its requests) gets nothing."""
    assert _logged_in(user).get("/api/matters/").status_code == 401


def test_a_deactivated_users_token_is_refused(user, matter):
    api = api_client(user)
    user.is_active = False
    user.save()
    assert api.get("/api/matters/").status_code == 401


def test_nobody_revokes_another_users_token(user, outsider):
    api = api_client(outsider)
    token = ApiToken.objects.get(user=outsider)
    response = _logged_in(user).post(reverse("api_tokens"), {"action": "revoke", "token": token.pk}, follow=True)
    assert "No such token of yours." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api.get("/api/matters/").status_code == 200


def test_the_token_page_needs_a_name_and_a_login(user):
    response = _logged_in(user).post(reverse("api_tokens"), {"name": "  "})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "This field is required." in response.content.decode()
    assert Client().get(reverse("api_tokens")).status_code == 302


def test_a_token_sees_only_its_users_matters(user, matter):
    other = factories.make_matter()
    slugs = [m["slug"] for m in api_client(user).get("/api/matters/").json()["results"]]
    assert slugs == [matter.slug]
    assert api_client(user).get(f"/api/matters/{other.slug}/").status_code == 404
