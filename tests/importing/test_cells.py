"""The cells of an imported file (evidence/importing/cells.py) are read through the one text rule, and the bidi
controls our export writes out ("[U+202E]") are read back as the characters."""

import json

from evidence.exporting import ExportOptions, export_chronology
from evidence.models import Actor
from tests.factories import make_event, make_matter
from tests.importing.support import run, stored

RLO = "\u202e"


def test_control_characters_in_cells_are_removed_or_replaced_before_the_preview(matter, user):
    records = [
        {"title": "Policy\x00 amended\x07", "date": "Aug 2024", "description": "one\r\ntwo\x0bthree\x9f",
         "actors": "Acme\x00 Corp; Doe\ufffe", "source_note": "Dkt.\x001"},
    ]  # fmt: skip
    data = json.dumps(records).encode()  # JSON carries every character, NUL included, as an escape
    preview = run(matter, user, "facts.json", data=data, dry_run=True)
    assert [r.values["title"] for r in preview.plan.rows] == ["Policy amended\ufffd"]
    result = run(matter, user, "facts.json", data=data)
    assert result.written
    (event,) = stored(matter).values()
    assert (event.title, event.description) == ("Policy amended\ufffd", "one\ntwo\nthree\ufffd")
    assert event.source_note == "Dkt.1"
    assert sorted(Actor.objects.filter(matter=matter).values_list("name", flat=True)) == ["Acme Corp", "Doe\ufffd"]


def test_a_title_exported_with_its_bidi_control_shown_imports_back_as_it_was(matter, user):
    make_event(matter, title=f"invoice{RLO}exe.pdf", actors=[f"Acme {RLO}Corp"], date="Aug 2024")
    exported = export_chronology(matter=matter, user=user, options=ExportOptions(format="csv")).content
    assert b"invoice[U+202E]exe.pdf" in exported
    other = make_matter(owner=user)
    assert run(other, user, "chronology.csv", data=exported).written
    (event,) = stored(other).values()
    assert event.title == f"invoice{RLO}exe.pdf"
    assert [a.name for a in event.actors.all()] == [f"Acme {RLO}Corp"]
