"""simple-history's admin pages: scoped like everything else, and read-only."""

import pytest
from django.urls import reverse

from evidence.models import Actor, Citation, Event
from evidence.services.citations import citation_delete
from evidence.services.events import event_update
from tests.admin.conftest import event_data, page


def version_url(obj, record):
    return reverse(f"admin:evidence_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id])


def history_url(obj):
    return reverse(f"admin:evidence_{obj._meta.model_name}_history", args=[obj.pk])


@pytest.mark.parametrize("role", ["outsider", "viewer", "editor", "owner", "superuser"])
def test_a_post_to_a_version_page_changes_nothing(client, world, rows, role):
    """The "revert" simple-history would do: another matter's event (outsider) or one's own, whatever the role."""
    event = world.event
    first = event.history.earliest()
    event_update(event=event, user=world.users["owner"], reason="retitled", title="Retitled")
    client.force_login(world.users[role])
    before = rows()
    response = client.post(version_url(event, first), event_data(Event.objects.get(pk=event.pk), reason="revert"))
    assert response.status_code == (404 if role == "outsider" else 403)
    assert rows() == before
    event.refresh_from_db()
    assert (event.title, event.version) == ("Retitled", 2)


def test_another_matters_history_is_not_found(client, world):
    client.force_login(world.users["outsider"])
    event = world.event
    assert client.get(history_url(event)).status_code == 404
    assert client.get(version_url(event, event.history.earliest())).status_code == 404
    # A row deleted since is found through its history: still not for another matter's member.
    citation = world.citation
    url = history_url(citation)
    citation_delete(citation=citation, user=world.users["owner"], reason="wrong page")
    assert client.get(url).status_code == 404
    client.force_login(world.users["viewer"])
    assert "wrong page" in page(client.get(url))


def test_the_version_page_shows_that_version_read_only(client, world):
    event = world.event
    first = event.history.earliest()
    event_update(event=event, user=world.users["owner"], reason="tags", actors=["LinkedIn spokesperson"], issues=[])
    client.force_login(world.users["editor"])
    html = page(client.get(version_url(event, first)))
    assert "LinkedIn" in html and "consent" in html and "spokesperson" not in html  # the actors of that version
    assert 'name="title"' not in html and 'value="Revert"' not in html and "Reason for the change" not in html
    assert reverse("event_detail", args=[world.a.slug, event.pk]) in html  # where a version is restored
    listing = page(client.get(history_url(event)))
    assert "View history" in listing and "tags" in listing


def test_the_version_page_shows_what_that_version_cited(client, world):
    event = world.event
    first = event.history.earliest()
    citation_delete(citation=world.citation, user=world.users["owner"], reason="wrong page")
    client.force_login(world.users["editor"])
    assert "PX-1 p. 2" in page(client.get(version_url(event, first)))  # cited then, gone now
    latest = page(client.get(version_url(event, event.history.latest())))
    assert "PX-1 p. 2" not in latest and "(none)" in latest


def test_an_actor_row_gone_does_not_break_the_event_pages(client, world):
    """Actors are never deleted here; a row removed behind the app's back must not take the event's pages down."""
    event = world.event
    event_update(event=event, user=world.users["owner"], reason="second version", title="Two")
    first = event.history.earliest()
    Actor.objects.filter(pk=world.actor.pk).delete()
    client.force_login(world.users["editor"])
    assert client.get(reverse("admin:evidence_event_change", args=[event.pk])).status_code == 200
    assert client.get(history_url(event)).status_code == 200
    version = page(client.get(version_url(event, first)))
    assert f"(removed, #{world.actor.pk})" in version


def test_an_actor_row_gone_does_not_break_the_event_page(client, world):
    event = world.event
    event_update(event=event, user=world.users["owner"], reason="second version", title="Two")
    Actor.objects.filter(pk=world.actor.pk).delete()
    client.force_login(world.users["editor"])
    assert client.get(reverse("event_detail", args=[world.a.slug, event.pk])).status_code == 200


def test_a_viewer_sees_the_change_page_read_only(client, world):
    client.force_login(world.users["viewer"])
    html = page(client.get(reverse("admin:evidence_event_change", args=[world.event.pk])))
    assert "Setting introduced" in html and "Aug 2024" in html
    assert 'name="title"' not in html and 'name="_save"' not in html and "Reason for the change" not in html
    assert Citation.objects.count() == 1
