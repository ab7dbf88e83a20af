"""Citations: one per (event, document, pinpoint), within the event's matter; each change is a version of the event."""

import pytest
from django.core.exceptions import ValidationError

from evidence.models import Citation
from evidence.services.citations import citation_create, citation_delete, citation_replace
from tests.factories import make_document, make_event


def test_citation_is_unique_per_pinpoint_and_within_the_matter(matter, user, make_user):
    from tests.factories import make_matter

    event = make_event(matter)
    doc = make_document(matter)
    citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    with pytest.raises(ValidationError):
        citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite")
    other_doc = make_document(make_matter(owner=user), content=b"elsewhere")
    with pytest.raises(ValidationError, match="its own matter"):
        citation_create(event=event, document=other_doc, user=user, reason="cite")
    assert Citation.objects.count() == 1
    assert Citation.objects.get().label == "PX-1 p. 3"


# A version is the whole event: every change of citations is a version of the event ------------------------------


def test_adding_changing_and_removing_a_citation_each_make_one_new_version(matter, user):
    doc = make_document(matter)
    event = make_event(matter)
    citation = citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cite the memo")
    assert event.version == 2  # the caller's copy is brought up to date, so its next edit is not refused as stale
    changed = citation_replace(citation=citation, note="quoted in the complaint", user=user, reason="note")
    citation_delete(citation=changed, user=user, reason="not the right page")
    event.refresh_from_db()
    assert event.version == 4 and event.history.count() == 4
    snapshots = list(event.history.order_by("history_id").values_list("version", "citations_snapshot"))
    assert [(v, [(e["exhibit"], e["pinpoint"], e["note"]) for e in s]) for v, s in snapshots] == [
        (1, []),
        (2, [("PX-1", "p. 3", "")]),
        (3, [("PX-1", "p. 3", "quoted in the complaint")]),
        (4, []),
    ]
    assert event.history.first().history_change_reason == "not the right page"


def test_a_refused_citation_writes_no_version(matter, user):
    doc = make_document(matter)
    event = make_event(matter, citations=[(doc, "p. 3", "")])
    with pytest.raises(ValidationError):
        citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="again")
    event.refresh_from_db()
    assert event.version == 1 and event.history.count() == 1


def test_moving_a_citation_to_another_event_is_a_version_of_both(matter, user):
    doc = make_document(matter)
    first, second = make_event(matter, citations=[(doc, "p. 1", "")]), make_event(matter, title="Other")
    citation_replace(citation=first.citations.get(), event=second, user=user, reason="belongs to the other event")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, first.citations_snapshot) == (2, [])
    assert second.version == 2 and [e["pinpoint"] for e in second.citations_snapshot] == ["p. 1"]
