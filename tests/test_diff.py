"""evidence.diff: what a version changed, and what a stale edit collides with, in the words of the event page."""

from evidence import diff, selectors
from evidence.services.events import event_update
from tests.factories import make_event


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
