"""The grid's writes: bulk edits (all or nothing, stale rows refused, one version per event, one reason), their undo
through the history page's restore, and each user's grid settings."""

import pytest
from django.core.exceptions import ValidationError

from evidence.models import BulkEdit, Event, GridSettings, Issue
from evidence.services.events import event_delete, event_update
from evidence.services.grid import BulkStale, UndoRefused, bulk_edit_undo, events_bulk_edit, grid_settings_update
from tests import factories


def _events(matter, n, **fields):
    return [factories.make_event(matter, title=f"Event {i}", **fields) for i in range(n)]


def _seen(events):
    return {e.pk: e.version for e in events}


def test_bulk_tag_makes_one_version_per_event_with_the_one_reason(matter, user):
    events = _events(matter, 5, issues=["notice"])
    bulk = events_bulk_edit(matter=matter, user=user, reason="tagging consent facts", action="add_issue",
                            value="Consent", expected=_seen(events))  # fmt: skip
    assert bulk.count == 5 and bulk.description == "Added issue “Consent”: 5 of 5 events changed"
    for event in events:
        event.refresh_from_db()
        assert sorted(i.name for i in event.issues.all()) == ["Consent", "notice"]
        assert event.version == 2
        latest = event.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (user, "tagging consent facts")
        assert event.history.count() == 2
    assert Issue.objects.filter(matter=matter, name="Consent").count() == 1


def test_events_already_as_asked_get_no_new_version(matter, user):
    tagged, untagged = _events(matter, 1, issues=["Consent"]) + _events(matter, 1)
    bulk = events_bulk_edit(matter=matter, user=user, reason="r", action="add_issue", value="consent",
                            expected=_seen([tagged, untagged]))  # fmt: skip
    assert [entry["event"] for entry in bulk.entries] == [untagged.pk]
    assert "1 of 2 events changed" in bulk.description
    tagged.refresh_from_db()
    assert tagged.version == 1


def test_a_row_changed_meanwhile_refuses_the_whole_bulk_edit(matter, user, editor):
    events = _events(matter, 3)
    seen = _seen(events)
    event_update(event=events[1], user=editor, reason="their fix", status="disputed")
    with pytest.raises(BulkStale) as refused:
        events_bulk_edit(matter=matter, user=user, reason="r", action="set_status", value="undisputed", expected=seen)
    assert "1 of the 3 selected events were changed by someone else" in refused.value.messages[0]
    assert "Event 1" in refused.value.messages[0] and "Nothing was changed" in refused.value.messages[0]
    statuses = dict(Event.objects.filter(pk__in=seen).values_list("pk", "status"))
    assert statuses == {events[0].pk: "unverified", events[1].pk: "disputed", events[2].pk: "unverified"}
    assert not BulkEdit.objects.exists()


def test_one_refused_change_undoes_the_others(matter, user):
    """All or nothing: a deleted event cannot be given a status, and the events before it keep theirs too."""
    events = _events(matter, 3)
    event_delete(event=events[2], user=user, reason="gone")
    events[2].refresh_from_db()
    with pytest.raises(ValidationError, match="is deleted"):
        events_bulk_edit(matter=matter, user=user, reason="r", action="set_key", value="yes", expected=_seen(events))
    assert not Event.objects.filter(is_key=True).exists()
    assert [e.version for e in Event.objects.filter(pk__in=[events[0].pk, events[1].pk])] == [1, 1]


@pytest.mark.parametrize(
    "action, value, message",
    [
        ("set_status", "maybe", "Choose a status"),
        ("add_issue", "  ", "Name the issue"),
        ("remove_actor", "Nobody", "There is no actor “Nobody”"),
        ("launch", "", "Unknown bulk action"),
    ],
)
def test_bad_actions_and_values_are_refused_clearly(matter, user, action, value, message):
    events = _events(matter, 2)
    with pytest.raises(ValidationError, match=message):
        events_bulk_edit(matter=matter, user=user, reason="r", action=action, value=value, expected=_seen(events))
    assert {e.version for e in Event.objects.all()} == {1}


def test_a_reason_and_a_selection_are_required(matter, user):
    events = _events(matter, 1)
    with pytest.raises(ValidationError, match="needs a reason"):
        events_bulk_edit(matter=matter, user=user, reason=" ", action="delete", expected=_seen(events))
    with pytest.raises(ValidationError, match="No event is selected"):
        events_bulk_edit(matter=matter, user=user, reason="r", action="delete", expected={})


def test_events_of_another_matter_cannot_be_selected(matter, user):
    other = factories.make_matter(owner=user)
    theirs = _events(other, 1)
    with pytest.raises(ValidationError, match="not in this matter"):
        events_bulk_edit(matter=matter, user=user, reason="r", action="delete", expected=_seen(theirs))
    assert Event.objects.get(pk=theirs[0].pk).deleted_at is None


def test_undo_restores_the_previous_versions_through_the_history_restore(matter, user):
    events = _events(matter, 3, actors=["LinkedIn"])
    bulk = events_bulk_edit(matter=matter, user=user, reason="wrong actor", action="remove_actor", value="linkedin",
                            expected=_seen(events))  # fmt: skip
    assert not Event.objects.filter(actors__name="LinkedIn").exists()
    assert bulk_edit_undo(bulk=bulk, user=user) == 3
    for event in events:
        event.refresh_from_db()
        assert [a.name for a in event.actors.all()] == ["LinkedIn"]
        assert event.version == 3  # created, bulk edit, undo: history is never rewritten
        reasons = [h.history_change_reason for h in event.history.order_by("history_id")]
        assert reasons == [
            "test",
            "wrong actor",
            "undo of: Removed actor “LinkedIn”: 3 of 3 events changed (wrong actor)",
        ]
    bulk.refresh_from_db()
    assert bulk.undone_at is not None and bulk.undone_by == user
    with pytest.raises(UndoRefused, match="undone already"):
        bulk_edit_undo(bulk=bulk, user=user)


def test_undo_of_a_bulk_delete_restores_the_events(matter, user):
    events = _events(matter, 2)
    bulk = events_bulk_edit(matter=matter, user=user, reason="duplicates", action="delete", expected=_seen(events))
    assert Event.objects.alive().count() == 0
    bulk_edit_undo(bulk=bulk, user=user)
    assert Event.objects.alive().count() == 2


def test_undo_is_refused_whole_when_an_event_changed_since(matter, user, editor):
    events = _events(matter, 2)
    bulk = events_bulk_edit(matter=matter, user=user, reason="r", action="set_kind", value="policy_edit",
                            expected=_seen(events))  # fmt: skip
    event_update(event=events[0], user=editor, reason="their title", title="Renamed by someone else")
    with pytest.raises(UndoRefused, match="changed again since"):
        bulk_edit_undo(bulk=bulk, user=user)
    kinds = dict(Event.objects.values_list("title", "kind"))
    assert kinds == {"Renamed by someone else": "policy_edit", "Event 1": "policy_edit"}
    bulk.refresh_from_db()
    assert bulk.undone_at is None


def test_grid_settings_are_kept_per_user_and_matter(matter, user, editor):
    grid_settings_update(
        user=user, matter=matter, columns=["status", "nonsense", "kind"], working_on="  from the  complaint "
    )
    grid_settings_update(user=user, matter=matter, visual_open=True)
    mine = GridSettings.objects.get(user=user, matter=matter)
    assert mine.columns == ["kind", "status"]  # known ones only, in the grid's order
    assert mine.working_on == "from the complaint" and mine.visual_open
    assert not GridSettings.objects.filter(user=editor).exists()
    with pytest.raises(TypeError):
        grid_settings_update(user=user, matter=matter, colour="red")
