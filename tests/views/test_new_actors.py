"""Actors created on the fly from the pages: the event form and the grid offer the kind of each new name, set to the
guess (which says why); the user's choice wins; bulk add takes a kind too; and every save says which actors it added."""

import json

import pytest
from django.urls import reverse

from evidence.models import Actor, BulkEdit, Event
from evidence.services.grid import grid_settings_update
from tests import factories
from tests.views.test_events import event_data

ORG, PERSON = "organisation", "person"


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def kinds(matter) -> dict:
    return dict(Actor.objects.filter(matter=matter).values_list("name", "kind"))


def test_the_guess_page_lists_only_new_names_with_their_kind_and_why_and_keeps_a_choice(client, matter, user):
    factories.make_event(matter, actors=["Jane Doe"])
    client.force_login(user)
    query = {"names": "jane doe; LinkedIn Corporation; FTC; Ann Lee",
             "new_actor_name": ["FTC", "Unknown"], "new_actor_kind": ["person", "organisation"]}  # fmt: skip
    body = client.get(url("actor_guess", matter), query).json()
    assert body["new"] == [
        {"name": "LinkedIn Corporation", "kind": ORG, "guessed": ORG, "why": "the name ends in “Corporation”"},
        {"name": "FTC", "kind": PERSON, "guessed": ORG, "why": "“FTC” is an acronym in capitals"},
        {
            "name": "Ann Lee",
            "kind": PERSON,
            "guessed": PERSON,
            "why": "nothing in the name or address says organisation",
        },
    ]
    html = body["html"]
    assert html.count('name="new_actor_name"') == 3 and "Guessed organisation: “FTC” is an acronym in capitals." in html
    ftc = html.split("“FTC”</label>", 1)[1].split("</select>", 1)[0]
    assert '<option value="person" selected>' in ftc  # the user's choice, not the guess
    assert not Actor.objects.exclude(name="Jane Doe").exists()  # a guess writes nothing


def test_the_guess_page_is_for_editors_of_the_matter(client, matter, viewer, outsider):
    client.force_login(viewer)
    assert client.get(url("actor_guess", matter), {"names": "FTC"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url("actor_guess", matter), {"names": "FTC"}).status_code == 404


def test_the_event_form_creates_new_actors_of_the_chosen_or_guessed_kind_and_says_so(client, matter, user):
    client.force_login(user)
    data = event_data(actors="Acme Inc.; LinkedIn Corporation; Jane Doe",
                      new_actor_name=["Acme Inc."], new_actor_kind=["person"])  # fmt: skip
    response = client.post(url("event_new", matter), data, follow=True)
    assert kinds(matter) == {"Acme Inc.": PERSON, "LinkedIn Corporation": ORG, "Jane Doe": PERSON}
    assert (
        "New actors added to the matter: “Acme Inc.” (person); “LinkedIn Corporation” (organisation); “Jane Doe” "
        "(person)." in [str(m) for m in response.context["messages"]]
    )
    event = Event.objects.get()
    edit = client.get(url("event_edit", matter, event.pk)).content.decode()
    assert 'name="new_actor_kind"' not in edit  # every actor of the event exists now: nothing to choose


def test_a_form_shown_again_keeps_the_kinds_chosen(client, matter, user):
    client.force_login(user)
    data = event_data(title="", actors="FTC; Jane Doe", new_actor_name=["FTC"], new_actor_kind=["person"])
    html = client.post(url("event_new", matter), data).content.decode()
    assert "This field is required." in html and not Actor.objects.exists()
    ftc = html.split("“FTC”</label>", 1)[1].split("</select>", 1)[0]
    assert '<option value="person" selected>' in ftc
    assert "Guessed organisation: “FTC” is an acronym in capitals." in html
    assert "“Jane Doe”</label>" in html


def test_a_grid_cell_creates_new_actors_of_the_chosen_kind_and_says_so(client, matter, editor):
    event = factories.make_event(matter, actors=["Jane Doe"])
    grid_settings_update(user=editor, matter=matter, working_on="people review")
    client.force_login(editor)
    data = {"field": "actors", "value": "Jane Doe; FTC; Acme LLC", "version": 1,
            "new_actor_name": ["FTC"], "new_actor_kind": ["person"]}  # fmt: skip
    body = json.loads(client.post(url("cell_edit", matter, event.pk), data).content)
    assert body["ok"] and kinds(matter) == {"Jane Doe": PERSON, "FTC": PERSON, "Acme LLC": ORG}
    assert body["message"].endswith("— people review; new actor “FTC” (person); new actor “Acme LLC” (organisation)")


@pytest.mark.parametrize(("chosen", "name", "kind"), [("guess", "Acme LLC", ORG), ("person", "Acme LLC", PERSON),
                                                      ("organisation", "Jane Doe", ORG)])  # fmt: skip
def test_bulk_add_of_an_actor_takes_the_kind_chosen_or_guesses(client, matter, editor, chosen, name, kind):
    events = [factories.make_event(matter, title=f"E{i}") for i in range(2)]
    client.force_login(editor)
    data = {"action": "add_actor", "value": name, "actor_kind": chosen, "reason": "people review",
            "event": [f"{e.pk}:{e.version}" for e in events]}  # fmt: skip
    client.post(url("bulk_edit", matter), data)
    assert kinds(matter) == {name: kind}
    assert BulkEdit.objects.get().description == f"Added actor “{name}” (a new {kind}): 2 of 2 events changed"
