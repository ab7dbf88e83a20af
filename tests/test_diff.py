"""evidence.diff: what a version changed, and what a stale edit collides with, in the words of the event page."""

import datetime

from evidence import diff, selectors
from evidence.services.citations import citation_create
from evidence.services.documents import document_delete, document_update
from evidence.services.events import event_update
from tests.factories import make_document, make_event


def test_a_creation_lists_every_field_that_has_a_value(matter):
    event = make_event(matter, title="Setting introduced", date="Aug 2024", actors=["LinkedIn"])
    changes = {c.field: (c.old, c.new) for c in diff.changes(None, diff.snapshot_of_event(event))}
    assert changes["title"] == ("", "Setting introduced")
    assert changes["date"] == ("", "Aug 2024")
    assert changes["actors"] == ("", "LinkedIn")
    assert "is_key" not in changes and "deleted" not in changes  # "No" is not news on a new event


def test_each_version_shows_only_what_it_changed(matter, user):
    event = make_event(matter, title="Policy amended", date="Sept 2024")
    event_update(event=event, user=user, reason="date from the complaint", date="c. Sept 18, 2024", issues=["Consent"])
    newest, first = diff.versions_with_changes(selectors.event_versions(event=event))
    assert newest.is_current and not first.is_current
    assert {(c.label, c.old, c.new) for c in newest.changes} == {
        ("Date", "Sept 2024", "c. Sept 18, 2024"),
        ("Issues", "", "Consent"),
    }


def test_conflicts_name_the_fields_someone_else_changed(matter, user):
    event = make_event(matter, title="Original", date="2024")
    opened = diff.snapshot_of_event(event)
    theirs = diff.snapshot_of_event(event_update(event=event, user=user, reason="retitled", title="Theirs"))
    yours = {**opened, "description": "Mine"}
    rows = {r.label: r for r in diff.conflicts(opened, theirs, yours)}
    assert rows["Title"].they_changed and not rows["Title"].you_changed
    assert rows["Title"].theirs == "Theirs" and rows["Title"].yours == "Original"
    assert rows["Description"].you_changed and not rows["Description"].they_changed
    assert "Date" not in rows


def test_a_change_of_citations_is_a_version_that_says_what_changed(matter, user):
    a = make_document(matter, content=b"a")
    b = make_document(matter, content=b"b")
    event = make_event(matter, citations=[(a, "p. 1", ""), (a, "p. 2", "old note")])
    event_update(event=event, user=user, reason="sources checked", citations=[(a, "p. 2", "new note"), (b, "p. 3", "")])
    newest, first = diff.versions_with_changes(selectors.event_versions(event=event))
    assert [(c.label, c.details) for c in newest.changes] == [
        ("Sources", ("removed PX-1 p. 1", "PX-1 p. 2: note changed from “old note” to “new note”", "added PX-2 p. 3"))
    ]
    created = {c.field: c for c in first.changes}["sources"]
    assert created.new == "PX-1 p. 1\nPX-1 p. 2 — old note" and created.details == (
        "added PX-1 p. 1",
        "added PX-1 p. 2 (note “old note”)",
    )


def test_a_version_that_did_not_record_its_citations_shows_no_sources_change(matter, user):
    doc = make_document(matter)
    event = make_event(matter, citations=[(doc, "p. 1", "")])
    first = event.history.get()
    first.citations_snapshot = None
    first.save()
    event_update(event=event, user=user, reason="retitled", title="New title")
    newest, _ = diff.versions_with_changes(selectors.event_versions(event=event))
    assert [c.label for c in newest.changes] == ["Title"]


def test_document_versions_compare_the_fields_people_edit(matter, user):
    doc = make_document(matter, title="Policy", bates_start="ACME_1", bates_end="ACME_4")
    document_update(
        document=doc, user=user, reason="captured", title="Privacy policy", source_url="https://example.com/p",
        captured_at=datetime.datetime(2024, 9, 18, 16, 30, tzinfo=datetime.UTC), is_privileged=True,
    )  # fmt: skip
    document_delete(document=doc, user=user, reason="duplicate")
    records = selectors.document_versions(document=doc)
    deleted, edited, received = diff.document_versions_with_changes(records, zone=matter.time_zone)
    assert [(c.label, c.old, c.new) for c in deleted.changes] == [("Deleted", "No", "Yes")]
    assert [(c.label, c.old, c.new) for c in edited.changes] == [
        ("Title", "Policy", "Privacy policy"),
        ("Source URL", "", "https://example.com/p"),
        ("Captured", "", "Sep 18, 2024, 9:30 AM PDT"),  # in the matter's zone
        ("Privileged", "No", "Yes"),
    ]
    assert ("Bates range", "", "ACME_1 – ACME_4") in [(c.label, c.old, c.new) for c in received.changes]


def test_a_stale_edit_shows_a_change_of_sources_as_a_conflict(matter, user):
    doc = make_document(matter)
    event = make_event(matter)
    opened = diff.snapshot_of_event(event)
    citation_create(event=event, document=doc, pinpoint="p. 3", user=user, reason="cited meanwhile")
    theirs = diff.snapshot_of_event(selectors.events_with_sources(matter=matter).get(pk=event.pk))
    rows = {r.label: r for r in diff.conflicts(opened, theirs, opened)}
    assert rows["Sources"].they_changed and rows["Sources"].theirs == "PX-1 p. 3" and rows["Sources"].yours == ""
