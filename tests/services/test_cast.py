"""People and issues: details kept with history, merges that give every event a new version, retirement."""

import pytest
from django.core.exceptions import ValidationError

from evidence import selectors
from evidence.models import Actor, Event, Issue
from evidence.services.actors import actor_update, issue_update, tag_retire
from evidence.services.cast import tags_merge
from tests import factories


def test_merging_duplicate_actors_gives_each_event_a_new_version_with_the_reason(matter, user):
    a = factories.make_event(matter, title="A", actors=["Jane Doe", "LinkedIn"])
    b = factories.make_event(matter, title="B", actors=["J. Doe"])
    c = factories.make_event(matter, title="C", actors=["J. Doe", "Jane Doe"])
    untouched = factories.make_event(matter, title="D", actors=["LinkedIn"])
    keep, duplicate = Actor.objects.get(name="Jane Doe"), Actor.objects.get(name="J. Doe")
    assert tags_merge(keep=keep, duplicate=duplicate, user=user, reason="same person (complaint ¶ 4)") == 2
    for event, names in ((a, ["Jane Doe", "LinkedIn"]), (b, ["Jane Doe"]), (c, ["Jane Doe"])):
        event.refresh_from_db()
        assert sorted(x.name for x in event.actors.all()) == names
    for event in (b, c):
        latest = event.history.latest()
        assert (latest.version, latest.history_change_reason, latest.history_user) == (
            2,
            "same person (complaint ¶ 4)",
            user,
        )
        assert [x.actor.name for x in latest.actors.all()] == ["Jane Doe"]
    assert a.history.count() == 1 and Event.objects.get(pk=untouched.pk).version == 1
    duplicate.refresh_from_db()
    assert duplicate.retired_at is not None
    assert duplicate.history.latest().history_change_reason == "merged into “Jane Doe”: same person (complaint ¶ 4)"
    assert selectors.actor_names(matter=matter, offered=True) == ["Jane Doe", "LinkedIn"]
    assert "J. Doe" in selectors.actor_names(matter=matter)  # still a filter: old events and versions name it


def test_merging_issues_too(matter, user):
    factories.make_event(matter, issues=["consent", "Consent to AI training"])
    factories.make_event(matter, issues=["Consent to AI training"])
    keep, duplicate = Issue.objects.get(name="consent"), Issue.objects.get(name="Consent to AI training")
    assert tags_merge(keep=keep, duplicate=duplicate, user=user, reason="one issue") == 2
    assert list(Event.objects.filter(issues=duplicate)) == []
    assert Event.objects.filter(issues=keep).count() == 2


@pytest.mark.parametrize("case", ["itself", "other matter", "actor with issue", "no reason"])
def test_merges_that_make_no_sense_are_refused_and_change_nothing(matter, user, case):
    factories.make_event(matter, actors=["Jane Doe"], issues=["consent"])
    jane, consent = Actor.objects.get(name="Jane Doe"), Issue.objects.get(name="consent")
    other = factories.make_event(factories.make_matter(owner=user), actors=["Jane Doe"]).actors.get()
    keep, duplicate, reason = {
        "itself": (jane, jane, "r"), "other matter": (jane, other, "r"), "actor with issue": (jane, consent, "r"),
        "no reason": (jane, Actor.objects.create(matter=matter, name="JD"), " "),
    }[case]  # fmt: skip
    with pytest.raises(ValidationError):
        tags_merge(keep=keep, duplicate=duplicate, user=user, reason=reason)
    assert {e.version for e in Event.objects.all()} == {1}
    assert not Actor.objects.filter(retired_at__isnull=False).exists()


def test_details_and_retirement_are_kept_in_history(matter, user):
    factories.make_event(matter, actors=["LinkedIn"], issues=["notice"])
    linkedin = actor_update(actor=Actor.objects.get(name="LinkedIn"), user=user, reason="from the complaint",
                            kind="organisation", organisation="Microsoft", description="Defendant",
                            emails="Privacy@LinkedIn.com; legal@linkedin.com")  # fmt: skip
    assert linkedin.emails == "legal@linkedin.com, privacy@linkedin.com"
    assert linkedin.history.latest().history_change_reason == "from the complaint"
    notice = issue_update(issue=Issue.objects.get(name="notice"), user=user, reason="r", description="Notice to users")
    assert notice.description == "Notice to users" and notice.name == "notice"
    retired = tag_retire(item=notice, user=user, reason="folded into consent")
    assert retired.retired_at and retired.history.latest().history_change_reason == "folded into consent"
    assert tag_retire(item=notice, user=user, reason="still needed", retired=False).retired_at is None
