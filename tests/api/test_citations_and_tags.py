"""Citations (a change of their event: its version, its history), actors and issues through the API."""

import pytest

from evidence.models import Actor, Citation, Issue
from tests import factories
from tests.api.conftest import ROLES, api_client, read_status, write_status

pytestmark = pytest.mark.django_db


def cites_url(event, *rest) -> str:
    base = f"/api/matters/{event.matter.slug}/events/{event.pk}/citations/"
    return base + "/".join(map(str, rest))


@pytest.mark.parametrize("role", ROLES)
def test_citations_by_role(api_as, matter, role):
    document = factories.make_document(matter)
    event = factories.make_event(matter)
    api = api_as(role)
    assert api.get(cites_url(event)).status_code == read_status(role)
    created = api.post(
        cites_url(event), {"document": document.pk, "pinpoint": "p. 3", "reason": "cited"}, "application/json",
        headers={"If-Match": '"1"'},
    )  # fmt: skip
    assert created.status_code == write_status(role, 201)
    if created.status_code != 201:
        assert not Citation.objects.exists()
        return
    body = created.json()
    assert body["citation"]["label"] == "PX-1 p. 3" and body["event_version"] == 2 and created["ETag"] == '"2"'
    citation_id = body["citation"]["id"]
    assert api.get(cites_url(event, citation_id)).json()["exhibit"] == "PX-1"
    removed = api.delete(cites_url(event, citation_id) + "?reason=wrong exhibit", headers={"If-Match": '"2"'})
    assert removed.status_code == 200 and removed.json()["citations"] == [] and removed["ETag"] == '"3"'
    latest = event.history.order_by("-history_id").first()
    assert (latest.version, latest.history_change_reason, latest.citations_snapshot) == (3, "wrong exhibit", [])


def test_a_citation_needs_the_events_current_version(matter, editor):
    document = factories.make_document(matter)
    event = factories.make_event(matter)
    api = api_client(editor)
    body = {"document": document.pk, "pinpoint": "¶ 12", "reason": "cited"}
    assert api.post(cites_url(event), body, "application/json").status_code == 428
    stale = api.post(cites_url(event), body, "application/json", headers={"If-Match": '"7"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 1
    assert not Citation.objects.exists()
    event.refresh_from_db()
    assert event.version == 1


def test_a_citation_of_another_matters_document_is_refused(matter, user, editor):
    elsewhere = factories.make_document(factories.make_matter(owner=user))
    event = factories.make_event(matter)
    response = api_client(editor).post(
        cites_url(event), {"document": elsewhere.pk, "reason": "r"}, "application/json", headers={"If-Match": '"1"'}
    )
    assert response.status_code == 400 and set(response.json()["errors"]) == {"document"}


@pytest.mark.parametrize("role", ROLES)
def test_actors_and_issues_by_role(api_as, matter, role):
    factories.make_event(matter, actors=["LinkedIn"], issues=["Consent"])
    api = api_as(role)
    actors, issues = api.get(f"/api/matters/{matter.slug}/actors/"), api.get(f"/api/matters/{matter.slug}/issues/")
    assert actors.status_code == issues.status_code == read_status(role)
    if role != "outsider":
        assert [(a["name"], a["live_events"]) for a in actors.json()["results"]] == [("LinkedIn", 1)]
        assert [(i["name"], i["live_events"]) for i in issues.json()["results"]] == [("Consent", 1)]
    actor = api.post(
        f"/api/matters/{matter.slug}/actors/", {"name": "Jane Doe", "kind": "person", "reason": "plaintiff"},
        "application/json",
    )  # fmt: skip
    issue = api.post(f"/api/matters/{matter.slug}/issues/", {"name": "Notice", "reason": "r"}, "application/json")
    assert actor.status_code == issue.status_code == write_status(role, 201)
    assert Actor.objects.filter(name="Jane Doe").exists() == (actor.status_code == 201)
    assert Issue.objects.filter(name="Notice").exists() == (issue.status_code == 201)


def test_a_name_already_in_the_matter_is_refused(matter, editor):
    factories.make_event(matter, actors=["LinkedIn"])
    response = api_client(editor).post(
        f"/api/matters/{matter.slug}/actors/", {"name": "linkedin", "reason": "r"}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["“LinkedIn” is already in this matter."]}
    assert Actor.objects.count() == 1
    assert api_client(editor).post(
        f"/api/matters/{matter.slug}/issues/", {"name": "Consent"}, "application/json"
    ).json()["errors"].keys() == {"reason"}
