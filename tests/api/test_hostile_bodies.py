"""Request bodies built to hurt: bounded in size and nesting before they are parsed, refused with a JSON error."""

import pytest

from evidence.models import Event
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_a_body_nested_too_deep_is_refused(matter, editor):
    body = '{"title": "x", "reason": "r", "actors": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api_client(editor).post(f"/api/matters/{matter.slug}/events/", body, "application/json")
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]
    assert not Event.objects.exists()


def test_brackets_inside_strings_are_text(matter, editor):
    title = "[" * 100 + '"\\' + "{" * 100
    response = api_client(editor).post(
        f"/api/matters/{matter.slug}/events/", {"title": title, "reason": "r"}, "application/json"
    )
    assert response.status_code == 201 and response.json()["title"] == title


def test_a_body_too_large_is_refused_before_it_is_parsed(matter, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 2000 + '", "reason": "r"}'
    response = api_client(editor).post(f"/api/matters/{matter.slug}/events/", body, "application/json")
    assert response.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    assert not Event.objects.exists()


def test_a_body_that_is_not_json_is_named(matter, editor):
    event = factories.make_event(matter)
    response = api_client(editor).patch(
        f"/api/matters/{matter.slug}/events/{event.pk}", "{title: x", "application/json", headers={"If-Match": '"1"'}
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("The body is not JSON")
    assert (
        api_client(editor).post(f"/api/matters/{matter.slug}/events/", '["a list"]', "application/json").status_code
        == 400
    )
