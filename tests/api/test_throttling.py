"""Rate limits: per user across all the user's tokens, answered 429 with when to try again."""

import pytest
from django.core.cache import cache

from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limit(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_user": "3/minute", "api_anon": "2/minute"},
    }
    cache.clear()
    yield
    cache.clear()


def test_a_user_is_limited_whichever_token_they_use(tight_limit, user, outsider, matter):
    first, second = api_client(user, "one"), api_client(user, "two")
    assert [first.get("/api/matters/").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/matters/").status_code == 200
    refused = second.get("/api/matters/")
    assert refused.status_code == 429
    assert "throttled" in refused.json()["detail"].lower() and int(refused["Retry-After"]) > 0
    assert api_client(outsider).get("/api/matters/").status_code == 200  # another user has a limit of their own


def test_the_open_schema_is_limited_by_address(tight_limit):
    from django.test import Client

    client = Client()
    assert [client.get("/api/schema/").status_code for _ in range(3)] == [200, 200, 429]
