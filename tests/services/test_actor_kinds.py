"""Actors created on the fly are of the right kind: the one guess (evidence.actor_kinds), from the name and the
address, used by every way in (event form and services, grid bulk add, import, API), and a choice the user made wins."""

import pytest

from evidence.actor_kinds import KnownOrganisation, guess_actor
from evidence.models import Actor, ActorKind
from evidence.services.actors import NewActor, actor_get_or_create
from evidence.services.grid import events_bulk_edit
from tests import factories
from tests.api.conftest import api_client
from tests.importing.support import read_table

ORG, PERSON = ActorKind.ORGANISATION, ActorKind.PERSON


@pytest.mark.parametrize(
    ("name", "address", "kind", "why"),
    [
        ("LinkedIn Corporation", "", ORG, "the name ends in “Corporation”"),
        ("Acme, Inc.", "", ORG, "the name ends in “Inc.”"),
        ("Siemens AG", "", ORG, "the name ends in “AG”"),
        ("Acme S.A.", "", ORG, "the name ends in “S.A.”"),
        ("Smith & Jones LLP", "", ORG, "the name ends in “LLP”"),
        ("Barclays plc", "", ORG, "the name ends in “plc”"),
        ("Stanford University", "", ORG, "the name has the word “University”"),
        ("U.S. District Court, N.D. Cal.", "", ORG, "the name has the word “Court”"),
        ("department of justice", "", ORG, "the name begins with “department of”"),
        ("FTC", "", ORG, "“FTC” is an acronym in capitals"),
        ("LinkedIn", "", ORG, "“LinkedIn” is written as companies write their names"),
        ("privacy@linkedin.com", "privacy@linkedin.com", ORG, "the address privacy@linkedin.com is a role mailbox"),
        ("", "noreply@linkedin.com", ORG, "the address noreply@linkedin.com is a role mailbox (noreply@)"),
        ("Jane Doe", "Legal+notices@acme.example", ORG, "is a role mailbox (legal@)"),
        ("Jane Doe", "jane.doe@example.com", PERSON, "the address jane.doe@example.com is a personal one"),
        ("Jane Doe", "", PERSON, "nothing in the name or address says organisation"),
        ("Courtney Love", "", PERSON, "nothing"),  # "Court" as a word only
        ("Lisa Sa", "", PERSON, "nothing"),  # a short suffix only as companies write it
        ("John McDonald", "", PERSON, "nothing"),
        ("McDonald", "", PERSON, "nothing"),  # a surname's inner capital is not a company's
    ],
)
def test_the_guess_and_why(name, address, kind, why):
    guess = guess_actor(name, address)
    assert (guess.kind, why in guess.why) == (kind, True), guess


def test_a_name_that_is_a_known_organisations_domain_is_that_organisation_and_the_domain_suggests_it():
    linkedin = KnownOrganisation("LinkedIn", frozenset({"linkedin.com"}))
    assert guess_actor("Linkedin", known=[linkedin]).kind == ORG  # no inner capital: known by its domain only
    assert "the name of the domain linkedin.com" in guess_actor("Linkedin", known=[linkedin]).why
    jane = guess_actor("Jane Doe", "jane.doe@linkedin.com", known=[linkedin])
    assert (jane.kind, jane.organisation) == (PERSON, "LinkedIn")
    assert guess_actor("Jane Doe", "jane.doe@gmail.com", known=[linkedin]).organisation == ""  # webmail: nobody's


def test_actors_named_by_an_event_are_created_of_the_guessed_kind(matter, user):
    factories.make_event(matter, actors=["LinkedIn Corporation", "Jane Doe", "FTC"])
    assert dict(Actor.objects.values_list("name", "kind")) == {"LinkedIn Corporation": ORG, "Jane Doe": PERSON,
                                                               "FTC": ORG}  # fmt: skip


def test_the_kind_a_user_chose_wins_and_an_existing_actor_keeps_its_own(matter, user):
    factories.make_event(matter, actors=["Acme Inc."])
    acme = Actor.objects.get()
    acme.kind = PERSON  # corrected by hand once
    acme.save()
    factories.make_event(matter, actors=[NewActor("Jones & Co", kind=PERSON), NewActor("acme inc.", kind=ORG)])
    assert dict(Actor.objects.values_list("name", "kind")) == {"Acme Inc.": PERSON, "Jones & Co": PERSON}


def test_an_organisation_actor_teaches_the_domain_to_the_next_guesses(matter, user):
    actor_get_or_create(
        matter=matter, name="LinkedIn", kind=ORG, emails=["privacy@linkedin.com"], user=user, reason="r"
    )
    jane = actor_get_or_create(matter=matter, name="Jane Doe", emails=["Jane.Doe@LinkedIn.com"], user=user, reason="r")
    assert (jane.kind, jane.organisation, jane.emails) == (PERSON, "LinkedIn", "jane.doe@linkedin.com")
    assert actor_get_or_create(matter=matter, name="Linked In", user=user, reason="r").kind == ORG


def test_bulk_add_of_a_new_actor_guesses_its_kind(matter, user):
    event = factories.make_event(matter)
    events_bulk_edit(matter=matter, user=user, reason="r", action="add_actor", value="LinkedIn Corporation",
                     expected={event.pk: event.version})  # fmt: skip
    assert Actor.objects.get(name="LinkedIn Corporation").kind == ORG


def test_an_import_guesses_the_kind_of_each_new_actor(matter, user):
    from evidence.importing import import_events

    csv = "Date,Title,Actors\r\nAug 2024,Setting introduced,LinkedIn Corporation; Jane Doe; FTC\r\n"
    import_events(read_table(csv.encode(), name="facts.csv"), matter=matter, user=user)
    assert dict(Actor.objects.values_list("name", "kind")) == {"LinkedIn Corporation": ORG, "Jane Doe": PERSON,
                                                               "FTC": ORG}  # fmt: skip


def test_the_api_guesses_the_kind_when_none_is_given_and_takes_the_one_given(matter, editor):
    api = api_client(editor)
    url = f"/api/matters/{matter.slug}/actors/"
    assert api.post(url, {"name": "LinkedIn Corporation", "reason": "r"}, "application/json").status_code == 201
    assert api.post(url, {"name": "Acme LLC", "kind": "person", "reason": "r"}, "application/json").status_code == 201
    assert dict(Actor.objects.values_list("name", "kind")) == {"LinkedIn Corporation": ORG, "Acme LLC": PERSON}
