"""A bulk edit of every event the filters keep ("Select all N matching events"), on every page of the list: decided by
the timeline's own selector, all or nothing, one version per event with the one reason, refused whole when the list
changed since the page was loaded, and undone whole."""

import pytest
from django.core.exceptions import ValidationError

from evidence import selectors
from evidence.models import BulkEdit, Event
from evidence.selectors import TimelineFilters
from evidence.services.events import event_delete, event_update
from evidence.services.grid import BulkStale, bulk_edit_undo, events_bulk_edit_matching
from evidence.views.events import PAGE_SIZE
from tests import factories

MAILINGS = TimelineFilters(kinds=("user_communication",))


@pytest.fixture
def listed(matter):
    """120 member e-mails (more than a page of the grid) among 10 events of another kind."""
    make = factories.make_event
    mailings = [make(matter, date=f"Oct {1 + i % 28}, 2024", title=f"Notice {i:03}", kind="user_communication")
                for i in range(120)]  # fmt: skip
    others = [make(matter, date="Sept 2024", title=f"Policy {i}", kind="policy_edit") for i in range(10)]
    assert len(mailings) > PAGE_SIZE
    return mailings, others


def _apply(matter, user, **kwargs):
    options = {"reason": "tagging the member notices", "action": "add_issue", "value": "Notice to members",
               "filters": MAILINGS, "count": 120, "seen_up_to": selectors.history_mark()}  # fmt: skip
    return events_bulk_edit_matching(matter=matter, user=user, **{**options, **kwargs})


def test_every_matching_event_on_every_page_gets_one_version_with_the_one_reason(matter, user, listed):
    mailings, others = listed
    bulk = _apply(matter, user)
    assert bulk.count == 120 and bulk.description == "Added issue “Notice to members”: 120 of 120 events changed"
    tagged = Event.objects.filter(issues__name="Notice to members")
    assert set(tagged.values_list("pk", flat=True)) == {e.pk for e in mailings}
    assert set(Event.objects.filter(pk__in=[e.pk for e in mailings]).values_list("version", flat=True)) == {2}
    reasons = Event.history.filter(id__in=[e.pk for e in mailings], version=2).values_list("history_change_reason")
    assert set(reasons) == {("tagging the member notices",)} and len(reasons) == 120
    assert set(Event.objects.filter(pk__in=[e.pk for e in others]).values_list("version", flat=True)) == {1}


def test_undo_restores_every_event_of_the_edit(matter, user, listed):
    mailings, _ = listed
    bulk = _apply(matter, user, action="set_status", value="disputed")
    assert Event.objects.filter(status="disputed").count() == 120
    assert bulk_edit_undo(bulk=bulk, user=user) == 120
    assert not Event.objects.filter(status="disputed").exists()
    assert set(Event.objects.filter(pk__in=[e.pk for e in mailings]).values_list("version", flat=True)) == {3}


def test_an_event_changed_by_someone_else_meanwhile_refuses_the_whole_edit(matter, user, editor, listed):
    mailings, _ = listed
    seen = selectors.history_mark()
    event_update(event=mailings[110], user=editor, reason="theirs", title="Notice 110, corrected")  # on page 2
    with pytest.raises(BulkStale) as refused:
        _apply(matter, user, seen_up_to=seen)
    assert "1 of the 120 selected events were changed by someone else" in refused.value.messages[0]
    assert "Notice 110, corrected" in refused.value.messages[0]
    assert not Event.objects.filter(issues__name="Notice to members").exists() and not BulkEdit.objects.exists()


def test_the_users_own_edits_since_the_page_was_loaded_are_not_someone_elses(matter, user, listed):
    mailings, _ = listed
    seen = selectors.history_mark()
    event_update(event=mailings[5], user=user, reason="mine, in the grid", status="disputed")
    assert _apply(matter, user, seen_up_to=seen).count == 120


def test_another_number_of_matching_events_refuses_the_edit(matter, user, listed):
    seen = selectors.history_mark()
    factories.make_event(matter, title="A late notice", kind="user_communication")
    with pytest.raises(ValidationError, match="121 events match these filters now, not 120"):
        _apply(matter, user, seen_up_to=seen)
    assert not Event.objects.filter(issues__name="Notice to members").exists()


def test_a_refused_change_of_one_event_changes_none(matter, user, listed):
    mailings, _ = listed
    deleted = TimelineFilters(kinds=("user_communication",), show_deleted=True)
    event_delete(event=mailings[119], user=user, reason="a duplicate")
    with pytest.raises(ValidationError, match="is deleted; restore it before editing"):
        _apply(matter, user, filters=deleted, action="set_kind", value="policy_edit")
    assert Event.objects.filter(kind="policy_edit").count() == 10
