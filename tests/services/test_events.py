"""Events: create, update with the stale-edit check, soft delete, restore, revert, citations set with the event."""

import pytest
from django.core.exceptions import ValidationError

from evidence import dates
from evidence.models import Citation, Event, EventStatus
from evidence.services.base import StaleEdit
from evidence.services.events import event_create, event_delete, event_restore, event_revert, event_update
from tests.factories import make_document, make_event


def test_event_create_records_user_reason_and_date_as_known(matter, user):
    event = event_create(
        matter=matter, user=user, date="c. Sept 2024", title="Policy amended", reason="entered by hand",
        actors=["LinkedIn"], issues=["notice", "concealment"],
    )  # fmt: skip
    event.refresh_from_db()
    assert event.date.display() == "c. Sept 2024"
    assert event.date_precision == dates.Precision.MONTH
    assert event.date_start == "2024-09"  # never filled in to a day
    versions = list(event.history.all())
    assert len(versions) == 1  # one row for the save and its actors and issues, not one per m2m change
    assert versions[0].history_user == user
    assert versions[0].history_change_reason == "entered by hand"
    assert sorted(a.actor.name for a in versions[0].actors.all()) == ["LinkedIn"]
    assert sorted(i.issue.name for i in versions[0].issues.all()) == ["concealment", "notice"]


def test_time_without_zone_is_read_in_the_matters_zone(matter, user):
    event = make_event(matter, date="2025-01-24 09:30")
    assert event.date.display() == "Jan 24, 2025, 9:30 AM PST"


def test_event_update_is_refused_when_someone_saved_in_between(matter, user, make_user):
    event = make_event(matter, title="First")
    event_update(event=event, user=user, reason="fix title", expected_version=1, title="Second")
    with pytest.raises(StaleEdit) as stale:
        event_update(event=event, user=user, reason="late edit", expected_version=1, title="Third")
    assert stale.value.current.title == "Second"
    event.refresh_from_db()
    assert (event.title, event.version) == ("Second", 2)


def test_soft_delete_and_restore_keep_the_event_and_record_why(matter, user):
    event = make_event(matter)
    event_delete(event=event, user=user, reason="duplicate entry")
    assert not Event.objects.alive().filter(pk=event.pk).exists()
    assert Event.objects.filter(pk=event.pk).exists()
    event_restore(event=event, user=user, reason="not a duplicate after all")
    assert Event.objects.alive().filter(pk=event.pk).exists()
    reasons = list(event.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["test", "duplicate entry", "not a duplicate after all"]


def test_revert_brings_back_an_earlier_version_as_a_new_one(matter, user):
    event = make_event(matter, title="Original", date="Aug 2024", issues=["consent"])
    first = event.history.get()
    event_update(event=event, user=user, reason="edit", title="Changed", date="2025", issues=["notice"])
    reverted = event_revert(event=event, history_id=first.history_id, user=user, reason="undo edit")
    assert reverted.title == "Original"
    assert reverted.date.display() == "Aug 2024"
    assert [i.name for i in reverted.issues.all()] == ["consent"]
    assert reverted.history.count() == 3


def test_invalid_date_changes_nothing(matter, user):
    with pytest.raises(ValidationError, match="February has 29 days in 2024"):
        event_create(matter=matter, user=user, date="2/30/2024", title="x", reason="r")
    assert Event.objects.count() == 0


def test_status_and_kind_are_checked(matter, user):
    with pytest.raises(ValidationError):
        event_create(matter=matter, user=user, date="2024", title="x", reason="r", status="maybe")
    event = make_event(matter, status=EventStatus.DISPUTED)
    assert event.is_disputed


def test_event_update_sets_its_citations_in_the_same_write(matter, user):
    doc = make_document(matter)
    event = event_create(
        matter=matter, user=user, date="2024", title="t", reason="new", citations=[(doc, "p. 1", ""), (doc, "p. 2", "")]
    )
    event_update(event=event, user=user, reason="pinpoint fixed", citations=[(doc, "p. 1", ""), (doc, "p. 3", "")])
    assert sorted(Citation.objects.filter(event=event).values_list("pinpoint", flat=True)) == ["p. 1", "p. 3"]
    removed = Citation.history.filter(pinpoint="p. 2", history_type="-").get()
    assert removed.history_change_reason == "pinpoint fixed"
    with pytest.raises(StaleEdit):
        event_update(event=event, user=user, reason="late", expected_version=1, citations=[])
    assert Citation.objects.filter(event=event).count() == 2  # nothing of the refused edit was written
