"""E-mail intake names the matter's actors: senders and recipients matched by address, then by name, through merges,
and new actors only for the others, of the guessed (or chosen) kind with their addresses kept."""

import io

import pytest

from evidence import email_evidence
from evidence.actor_matching import email_participants
from evidence.models import Actor, ActorKind
from evidence.services.actors import actor_get_or_create, actor_update, tag_retire
from evidence.services.cast import tags_merge
from evidence.services.email import email_event_create, email_intake
from tests.test_email_evidence import make_eml

ORG, PERSON = ActorKind.ORGANISATION, ActorKind.PERSON


def actor(matter, user, name, kind=PERSON, emails=""):
    made = actor_get_or_create(matter=matter, name=name, kind=kind, user=user, reason="cast")
    return actor_update(actor=made, emails=emails, user=user, reason="cast") if emails else made


def intake(matter, user, **headers):
    data = make_eml(attachments=(), **headers)
    return email_intake(matter=matter, user=user, file=io.BytesIO(data), filename="m.eml", reason="upload")


def confirm(matter, user, result, **kwargs):
    participants = email_participants(matter=matter, parsed=result.parsed)
    proposal = email_evidence.propose_event(result.parsed, actors=[p.name for p in participants])
    return email_event_create(
        matter=matter, user=user, document=result.message.document, date=proposal.date, title=proposal.title,
        kind=proposal.kind, actors=proposal.actors, reason="logged from the e-mail", **kwargs,
    )  # fmt: skip


def said(matter, result) -> list[str]:
    return [p.sentence for p in email_participants(matter=matter, parsed=result.parsed)]


def test_last_first_and_an_address_in_capitals_match_the_actor_with_that_address(matter, user):
    jane = actor(matter, user, "Jane Doe", emails="jane.doe@example.com")
    result = intake(matter, user, sender='"Doe, Jane" <JANE.DOE@example.com>', to="Ann Lee <ann@example.com>")
    assert said(matter, result)[0] == (
        "“Doe, Jane” <JANE.DOE@example.com>: matched to the existing actor “Jane Doe” (by address)"
    )
    event = confirm(matter, user, result)
    assert sorted(a.name for a in event.actors.all()) == ["Ann Lee", "Jane Doe"]
    assert Actor.objects.filter(matter=matter).count() == 2 and jane in event.actors.all()


@pytest.mark.parametrize("display", ["Doe, Jane", "JANE DOE", "Jane  Doé", "doe jane", "Doe, Jane (Legal)"])
def test_a_display_name_matches_an_actor_of_that_name_however_written(matter, user, display):
    actor(matter, user, "Jane Doe")
    result = intake(matter, user, sender=f'"{display}" <jd1970@mail.example>')
    assert said(matter, result)[0].endswith("matched to the existing actor “Jane Doe” (by name)")
    confirm(matter, user, result)
    assert list(Actor.objects.filter(matter=matter).values_list("name", flat=True)).count("Jane Doe") == 1
    assert not Actor.objects.filter(name__icontains="doe").exclude(name="Jane Doe").exists()


def test_the_address_wins_over_the_name_and_a_retired_namesake_is_not_matched_by_name(matter, user):
    actor(matter, user, "Jane Doe", emails="jane@a.example")
    actor(matter, user, "J. Doe", emails="jane@b.example")
    result = intake(matter, user, sender="Jane Doe <jane@b.example>")
    assert said(matter, result)[0].endswith("“J. Doe” (by address)")
    retired = actor(matter, user, "Ann Lee")
    tag_retire(item=retired, user=user, reason="no longer used")
    result = intake(matter, user, sender="Lee Ann <ann@c.example>")
    assert "new actor “Lee Ann”" in said(matter, result)[0]  # a retired near-namesake is not offered
    result = intake(matter, user, sender='"Lee, Ann" <ann@c.example>')  # its very name: the one it is
    assert said(matter, result)[0].endswith("matched to the existing actor “Ann Lee” (by name; retired)")


def test_a_new_person_written_last_name_first_is_named_first_name_first(matter, user):
    result = intake(matter, user, sender='"Müller, José" <jm@x.example>', to='"Acme, Inc." <orders@acme.example>')
    confirm(matter, user, result)
    assert dict(Actor.objects.values_list("name", "kind")) == {"José Müller": PERSON, "Acme, Inc.": ORG}


def test_a_merged_duplicate_resolves_to_the_actor_it_was_merged_into_even_renamed_since(matter, user):
    keep = actor(matter, user, "Jane Doe")
    duplicate = actor(matter, user, "J. Doe", emails="jd@example.com")
    tags_merge(keep=keep, duplicate=duplicate, user=user, reason="same person")
    actor_update(actor=keep, name="Jane Q. Doe", user=user, reason="full name from the complaint")
    result = intake(matter, user, sender="J. Doe <JD@example.com>", to='"J. Doe" <other@example.com>')
    assert said(matter, result) == [
        "“J. Doe” <JD@example.com>: matched to the existing actor “Jane Q. Doe” (by address, through “J. Doe”, "
        "merged into it)"
    ]  # the To is the same actor by name (through the merge): one participant
    event = confirm(matter, user, result)
    assert [a.name for a in event.actors.all()] == ["Jane Q. Doe"]


def test_new_participants_are_created_once_of_the_guessed_kind_with_their_addresses(matter, user):
    actor(matter, user, "LinkedIn", kind=ORG, emails="press@linkedin.com")
    result = intake(
        matter, user, sender="privacy@linkedin.com", to="LinkedIn Corporation <legal@linkedin.com>",
        cc="Ann Lee <ann.lee@linkedin.com>",
    )  # fmt: skip
    assert said(matter, result) == [
        "privacy@linkedin.com: new actor “privacy@linkedin.com”: organisation, because the address "
        "privacy@linkedin.com is a role mailbox (privacy@)",
        "“LinkedIn Corporation” <legal@linkedin.com>: new actor “LinkedIn Corporation”: organisation, because the "
        "name ends in “Corporation”",
        "“Ann Lee” <ann.lee@linkedin.com>: new actor “Ann Lee”: person, because the address ann.lee@linkedin.com "
        "is a personal one (ann.lee@)",
    ]
    confirm(matter, user, result)
    made = {a.name: (a.kind, a.emails, a.organisation) for a in Actor.objects.exclude(name="LinkedIn")}
    assert made == {
        "privacy@linkedin.com": (ORG, "privacy@linkedin.com", "LinkedIn"),
        "LinkedIn Corporation": (ORG, "legal@linkedin.com", "LinkedIn"),
        "Ann Lee": (PERSON, "ann.lee@linkedin.com", "LinkedIn"),
    }
    again = intake(matter, user, sender="ANN LEE <Ann.Lee@LinkedIn.com>", subject="Another one")
    assert said(matter, again)[0].endswith("matched to the existing actor “Ann Lee” (by address)")


def test_the_kind_chosen_for_a_new_participant_wins(matter, user):
    result = intake(matter, user, sender="Acme Widgets Inc. <orders@acme.example>")
    confirm(matter, user, result, kinds={"acme widgets inc.": PERSON})
    assert Actor.objects.get(name="Acme Widgets Inc.").kind == PERSON


def test_an_actor_named_with_its_address_by_an_older_intake_is_matched_by_that_address(matter, user):
    actor(matter, user, "Ann Lee (ann@linkedin.example)")
    result = intake(matter, user, sender="Ann <ANN@linkedin.example>")
    assert said(matter, result)[0].endswith("“Ann Lee (ann@linkedin.example)” (by address)")
