"""Spreadsheets as teams write them: unknown kinds and statuses never block a file, unrecognised columns can be
mapped, and what the user says is remembered for the matter once an import with it is written."""

import pytest

from evidence.importing import UnusableInputError
from evidence.importing.mapping import ISSUE_TAG, Mapping, MappingError, read_column_field, read_target
from evidence.importing.plan import MissingColumnError
from evidence.models import EventKind, EventStatus, ImportMapping
from tests.factories import make_matter
from tests.importing.support import run, stored

SHEET = (
    b"Date,Title,Category,Status,Ref,Occurred on\n"
    b"2024-08-15,Setting introduced,Press,Contested,r1,x\n"
    b"2024-09-18,Policy updated,Policy,Pending review,r2,y\n"
    b"2024-09-19,Statement to press,press ,Undisputed,r3,\n"
)


def unknown(plan):
    return {(u.field, u.label): (u.count, u.rows, u.target, u.defaulted) for u in plan.unknown_values.values()}


def test_unknown_labels_take_a_default_keep_the_label_as_an_issue_tag_and_are_listed_with_counts(matter, user):
    result = run(matter, user, "sheet.csv", SHEET)
    assert result.written and result.plan.errors == []
    # "Contested" is a status the import knows; "Press" (twice, in two spellings) and "Pending review" are not
    assert unknown(result.plan) == {
        ("kind", "Press"): (2, [2, 4], ISSUE_TAG, True),
        ("status", "Pending review"): (1, [3], ISSUE_TAG, True),
    }
    events = stored(matter)
    press = events["Setting introduced"]
    assert press.kind == EventKind.OTHER and press.status == EventStatus.DISPUTED
    assert [i.name for i in press.issues.all()] == ["Press"]
    pending = events["Policy updated"]
    assert pending.kind == EventKind.POLICY_EDIT and pending.status == EventStatus.UNVERIFIED
    assert [i.name for i in pending.issues.all()] == ["Pending review"]
    assert [i.name for i in events["Statement to press"].issues.all()] == ["Press"]
    assert result.plan.unknown_values[("kind", "press")].describe() == (
        "kind “Press” (2 rows: 2, 4) → Other, kept as issue tag “Press”"
    )
    # nothing was chosen, so nothing is remembered: the next file lists them again
    assert not ImportMapping.objects.exists()


def test_a_mapping_reads_labels_and_columns_as_told_and_is_remembered_for_the_matter_only(matter, user):
    mapping = Mapping()
    mapping.set_value("kind", "PRESS", EventKind.PUBLIC_STATEMENT)
    mapping.set_value("status", "pending review", EventStatus.UNVERIFIED)
    mapping.set_column("Occurred on", "description")
    dry = run(matter, user, "sheet.csv", SHEET, mapping=mapping, dry_run=True)
    assert not dry.written and not ImportMapping.objects.exists()  # a dry run remembers nothing
    result = run(matter, user, "sheet.csv", SHEET, mapping=mapping)
    assert unknown(result.plan) == {
        ("kind", "Press"): (2, [2, 4], EventKind.PUBLIC_STATEMENT, False),
        ("status", "Pending review"): (1, [3], EventStatus.UNVERIFIED, False),
    }
    assert result.plan.columns.mapped == {"Occurred on": "description"}
    events = stored(matter)
    assert events["Setting introduced"].kind == EventKind.PUBLIC_STATEMENT
    assert events["Setting introduced"].description == "x"
    assert not events["Setting introduced"].issues.exists() and not events["Policy updated"].issues.exists()

    # the next file of this matter is read the same way without being told
    again = run(matter, user, "next.csv", b"Date,Title,Category,Occurred on\n2024-10-01,Another,Press,z\n")
    assert stored(matter)["Another"].kind == EventKind.PUBLIC_STATEMENT
    assert stored(matter)["Another"].description == "z"
    assert again.plan.unknown_values[("kind", "press")].defaulted is False
    # another matter is not
    other = make_matter(owner=user)
    elsewhere = run(other, user, "next.csv", b"Date,Title,Category,Occurred on\n2024-10-01,Another,Press,z\n")
    assert stored(other)["Another"].kind == EventKind.OTHER
    assert elsewhere.plan.columns.unrecognised == ["Occurred on"]


def test_a_label_kept_as_a_tag_is_added_to_an_updated_events_own_issues(matter, user):
    run(matter, user, "a.csv", b"Date,Title,Ref,Issues\n2024-08-15,One,r1,consent\n")
    result = run(matter, user, "b.csv", b"Date,Title,Ref,Category\n2024-08-15,One,r1,Leak\n")
    assert result.counts["updated"] == 1
    assert sorted(i.name for i in stored(matter)["One"].issues.all()) == ["Leak", "consent"]


def test_an_unknown_label_too_long_for_an_issue_tag_is_refused_naming_the_row(matter, user):
    label = "x" * 300
    result = run(matter, user, "a.csv", f"Date,Title,Category\n2024-08-15,One,{label}\n".encode())
    assert not result.written
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, "Category")]
    assert "too long for an issue tag" in result.plan.errors[0].reason


def test_a_file_without_a_title_column_can_be_read_once_a_column_is_mapped_to_the_title(matter, user):
    data = b"When,Happening\n2024-08-15,Setting introduced\n"
    with pytest.raises(MissingColumnError) as refused:
        run(matter, user, "a.csv", data)
    assert "has no title column" in str(refused.value) and refused.value.columns.unrecognised == ["Happening"]
    assert refused.value.samples == {"Happening": ["Setting introduced"]}
    mapping = Mapping()
    mapping.set_column("Happening", "title")
    assert run(matter, user, "a.csv", data, mapping=mapping).written
    assert list(stored(matter)) == ["Setting introduced"]


def test_a_user_mapping_wins_over_a_recognised_header(matter, user):
    mapping = Mapping()
    mapping.set_column("Notes", "source_note")
    run(matter, user, "a.csv", b"Date,Title,Notes\n2024-08-15,One,Complaint p. 4\n", mapping=mapping)
    event = stored(matter)["One"]
    assert (event.source_note, event.description) == ("Complaint p. 4", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Public statement", EventKind.PUBLIC_STATEMENT), ("public_statement", EventKind.PUBLIC_STATEMENT),
     ("issue tag", ISSUE_TAG), ("Issue", ISSUE_TAG)],
)  # fmt: skip
def test_targets_are_read_as_people_write_them(text, expected):
    assert read_target("kind", text) == expected


def test_wrong_targets_and_mapping_files_say_what_would_do():
    with pytest.raises(MappingError, match="“Gossip” is not a kind; use one of “Setting introduced”"):
        read_target("kind", "Gossip")
    with pytest.raises(MappingError, match="“Nonsense” is not a field an import reads; use one of “date”"):
        read_column_field("Nonsense")
    with pytest.raises(MappingError, match="not JSON"):
        Mapping.from_file("{nope")
    with pytest.raises(MappingError, match="“columns”, “kind” and/or “status”"):
        Mapping.from_file('{"colour": {}}')
    with pytest.raises(MappingError, match="“kind” in the mapping file must map names to names"):
        Mapping.from_file('{"kind": {"Press": 3}}')
    mapping = Mapping.from_file('{"columns": {"Doc Ref": "Sources"}, "kind": {"Press": "Public statement"}}')
    assert mapping.column("doc ref") == "sources" and mapping.target("kind", "press") == EventKind.PUBLIC_STATEMENT
    assert issubclass(MissingColumnError, UnusableInputError)
