"""Matters through the API: the user's own, with the user's role."""

import pytest

from tests import factories
from tests.api.conftest import ROLES, api_client, read_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_matter_list_and_detail_by_role(api_as, matter, role):
    factories.make_event(matter)
    api = api_as(role)
    listed = api.get("/api/matters/").json()["results"]
    detail = api.get(f"/api/matters/{matter.slug}/")
    assert detail.status_code == read_status(role)
    if role == "outsider":
        assert listed == []
        return
    assert [(m["slug"], m["role"], m["event_count"]) for m in listed] == [(matter.slug, role, 1)]
    assert (detail.json()["short_title"], detail.json()["role"]) == (matter.short_title, role)


def test_a_superuser_sees_every_matter_as_owner(matter, db):
    admin = factories.UserFactory(superuser=True)
    listed = api_client(admin).get("/api/matters/").json()["results"]
    assert [(m["slug"], m["role"]) for m in listed] == [(matter.slug, "owner")]


def test_a_matter_that_does_not_exist_is_a_404_like_a_forbidden_one(user):
    response = api_client(user).get("/api/matters/no-such-matter/events/")
    assert response.status_code == 404 and response.json() == {"detail": "No such matter."}
