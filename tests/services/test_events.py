"""Events: create, update with the stale-edit check, soft delete, restore, revert, citations set with the event."""

import pytest
from django.core.exceptions import ValidationError

from evidence import dates, selectors
from evidence.models import Citation, Event, EventStatus
from evidence.services.base import StaleEdit
from evidence.services.documents import document_delete
from evidence.services.events import (
    event_create,
    event_create_once,
    event_delete,
    event_restore,
    event_revert,
    event_update,
)
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


def _cited(event) -> list[tuple[str, str, str]]:
    return [(c.document.exhibit_label, c.pinpoint, c.note) for c in Citation.objects.filter(event=event)]


def test_a_version_holds_the_citations_it_was_saved_with(matter, user):
    doc = make_document(matter)
    event = make_event(matter, citations=[(doc, "p. 1", "the setting")])
    event_update(event=event, user=user, reason="page fixed", expected_version=1, citations=[(doc, "p. 2", "")])
    first, second = event.history.order_by("history_id")
    assert [(e["exhibit"], e["pinpoint"], e["note"]) for e in first.citations_snapshot] == [
        ("PX-1", "p. 1", "the setting")
    ]
    assert [(e["exhibit"], e["pinpoint"], e["note"]) for e in second.citations_snapshot] == [("PX-1", "p. 2", "")]
    assert event.history.count() == 2  # one version for the fields and the citations together


def test_revert_brings_back_the_citations_of_the_version(matter, user):
    kept, dropped = make_document(matter, content=b"a"), make_document(matter, content=b"b")
    event = make_event(matter, citations=[(kept, "p. 1", ""), (dropped, "¶ 4", "the denial")])
    first = event.history.get()
    event_update(event=event, user=user, reason="sources pruned", citations=[(kept, "p. 1", "")])
    reverted = event_revert(event=event, history_id=first.history_id, user=user, reason="the denial is relevant")
    assert _cited(event) == [("PX-1", "p. 1", ""), ("PX-2", "¶ 4", "the denial")]
    assert reverted.version == 3 and reverted.history.first().citations_snapshot == first.citations_snapshot


def test_revert_cites_a_deleted_document_again_and_says_so(matter, user):
    doc = make_document(matter)
    event = make_event(matter, citations=[(doc, "p. 1", "")])
    first = event.history.get()
    event_update(event=event, user=user, reason="uncited", citations=[])
    document_delete(document=doc, user=user, reason="duplicate upload")
    notes = selectors.version_citations(event=event, record=first).notes
    assert notes == [
        "PX-1 p. 1 is cited again although PX-1 is deleted; restore the document to show the citation in exports."
    ]
    event_revert(event=event, history_id=first.history_id, user=user, reason="restore")
    assert _cited(event) == [("PX-1", "p. 1", "")]


def test_revert_names_a_citation_whose_document_is_gone_and_restores_the_rest(matter, user):
    doc = make_document(matter)
    event = make_event(matter, title="Original", citations=[(doc, "p. 1", "")])
    first = event.history.get()
    event_update(event=event, user=user, reason="retitled", title="Changed", citations=[])
    first.citations_snapshot = [
        *first.citations_snapshot,
        {**first.citations_snapshot[0], "document": 0, "exhibit": "PX-9"},
    ]
    first.save()
    assert selectors.version_citations(event=event, record=first).notes == [
        "PX-9 p. 1 cannot be restored: the document is no longer in this matter."
    ]
    reverted = event_revert(event=event, history_id=first.history_id, user=user, reason="undo")
    assert reverted.title == "Original" and _cited(event) == [("PX-1", "p. 1", "")]


def test_revert_of_a_version_that_did_not_record_its_citations_keeps_the_current_ones(matter, user):
    doc = make_document(matter)
    event = make_event(matter, title="Original")
    first = event.history.get()
    first.citations_snapshot = None  # as the versions written before citations were kept with each one
    first.save()
    event_update(event=event, user=user, reason="cited", title="Changed", citations=[(doc, "p. 1", "")])
    event_revert(event=event, history_id=first.history_id, user=user, reason="undo")
    event.refresh_from_db()
    assert event.title == "Original" and _cited(event) == [("PX-1", "p. 1", "")]


def test_event_create_once_gives_back_the_first_event_for_a_used_token(matter, user):
    kwargs = {"matter": matter, "user": user, "date": "Aug 2024", "title": "Notice sent", "reason": "r"}
    first, created = event_create_once(submission_token="3f2b8c1e-0000-4000-8000-000000000001", **kwargs)
    again, created_again = event_create_once(
        submission_token="3f2b8c1e-0000-4000-8000-000000000001", **{**kwargs, "title": "Changed meanwhile"}
    )
    assert created and not created_again
    assert again == first and Event.objects.get().title == "Notice sent"
    assert first.submission_token.token == "3f2b8c1e-0000-4000-8000-000000000001"


def test_event_create_once_with_another_token_or_none_creates(matter, user):
    kwargs = {"matter": matter, "user": user, "date": "2024", "title": "T", "reason": "r"}
    event_create_once(submission_token="a", **kwargs)
    assert event_create_once(submission_token="b", **kwargs)[1]
    assert event_create_once(submission_token=None, **kwargs)[1]
    assert event_create_once(submission_token="", **kwargs)[1]
    assert Event.objects.count() == 4


def test_a_lost_race_undoes_only_its_own_event(matter, user, monkeypatch):
    """The second of two simultaneous submissions finds no token at first, then hits the unique constraint."""
    from evidence.services import events as services

    kwargs = {"matter": matter, "user": user, "date": "2024", "title": "T", "reason": "r"}
    winner, _ = event_create_once(submission_token="t", **kwargs)
    real = services._event_of_token
    calls = []

    def late(m, token):
        calls.append(token)
        return None if len(calls) == 1 else real(m, token)  # the first look misses, as if the winner had not committed

    monkeypatch.setattr(services, "_event_of_token", late)
    event, created = event_create_once(submission_token="t", **kwargs)
    assert (event, created) == (winner, False)
    assert Event.objects.count() == 1
