"""A version is the whole event, its citations included: the bulk importer writes each version's citations
(Event.citations_snapshot), and a citation's note travels through the CSV and XLSX export and back."""

import pytest
from django.urls import reverse

from evidence.exporting import ExportOptions, export_chronology
from evidence.importing import import_events, read_table
from evidence.models import Citation, Event
from evidence.selectors import TimelineFilters
from evidence.services.citations import citation_create
from tests.factories import make_document, make_event, make_matter

HEADER = "Date,Title,Sources,External ID\r\n"


def exhibits(matter, count=3):
    return [make_document(matter, content=f"exhibit {n} of {matter.slug}".encode(), filename=f"ex{n}.txt")
            for n in range(1, count + 1)]  # fmt: skip


def run(matter, user, text, name="facts.csv"):
    result = import_events(read_table(text.encode(), name=name), matter=matter, user=user)
    assert result.plan.errors == [] and result.written
    return result


def cited(event):
    return [(e["exhibit"], e["pinpoint"], e["note"]) for e in event.history.first().citations_snapshot]


def test_a_new_event_s_version_lists_the_citations_it_was_imported_with(matter, user):
    exhibits(matter)
    run(matter, user, HEADER + "Aug 2024,First,PX-2 p. 4; PX-1 ¶ 2 [note: quoted; twice],a\r\n"
                                "Sept 2024,Second,,b\r\n")  # fmt: skip
    first, second = Event.objects.get(external_id="a"), Event.objects.get(external_id="b")
    assert cited(first) == [("PX-1", "¶ 2", "quoted; twice"), ("PX-2", "p. 4", "")]
    assert first.citations_snapshot == first.history.first().citations_snapshot
    assert first.history.count() == 1 and first.history.first().history_change_reason == "Imported from facts.csv"
    assert cited(second) == []
    assert sorted(Citation.objects.filter(event=first).values_list("pinpoint", "note")) == [
        ("p. 4", ""), ("¶ 2", "quoted; twice")
    ]  # fmt: skip


def test_an_update_adds_citations_and_its_version_lists_all_of_them(matter, user, client):
    px1, _, _ = exhibits(matter)
    event = make_event(matter, title="First", external_id="a", citations=[(px1, "p. 1", "the first")])
    run(matter, user, HEADER + "Aug 2024,First,PX-1 p. 1; PX-3 [note: new one],a\r\n")
    event.refresh_from_db()
    assert event.version == 2 and event.history.count() == 2
    assert cited(event) == [("PX-1", "p. 1", "the first"), ("PX-3", "", "new one")]
    assert event.citations_snapshot == event.history.first().citations_snapshot
    # the previous version still lists what it cited then
    assert [e["exhibit"] for e in event.history.last().citations_snapshot] == ["PX-1"]
    # and the event's page shows the imported version's change of sources
    client.force_login(user)
    page = client.get(reverse("event_detail", args=[matter.slug, event.pk])).content.decode()
    newest = page[page.index("Version 2") : page.index("Version 1")]
    assert "Sources" in newest and "added PX-3" in newest and "new one" in newest
    assert "No change" not in newest


def test_an_update_that_changes_nothing_else_but_adds_a_citation_is_a_version(matter, user):
    exhibits(matter)
    run(matter, user, HEADER + "Aug 2024,First,PX-1,a\r\n")
    run(matter, user, HEADER + "Aug 2024,First,PX-2 p. 9,a\r\n", name="again.csv")
    event = Event.objects.get(external_id="a")
    assert event.version == 2
    assert cited(event) == [("PX-1", "", ""), ("PX-2", "p. 9", "")]


NOTES = ["quoted in the complaint", "odd ] chars; a \\ backslash [note: nested", "line one\nline two  spaced"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_citation_notes_travel_through_an_export_and_back(user, fmt):
    source = make_matter(owner=user, short_title="Source")
    px1, px2, px3 = exhibits(source)
    first = make_event(source, title="First", external_id="one")
    second = make_event(source, date="Sept 2024", title="Second")
    for event, document, pinpoint, note in (
        (first, px1, "p. 3", NOTES[0]),
        (first, px2, "", NOTES[1]),
        (first, px3, "¶ 4", ""),
        (second, px1, "", NOTES[2]),
    ):
        citation_create(event=event, document=document, pinpoint=pinpoint, note=note, user=user, reason="test")
    options = ExportOptions(format=fmt, filters=TimelineFilters(include_privileged=True))
    content = export_chronology(matter=source, user=user, options=options).content
    target = make_matter(owner=user, short_title="Target", time_zone=source.time_zone)
    exhibits(target)
    result = import_events(read_table(content, name=f"chronology.{fmt}"), matter=target, user=user)
    assert result.plan.errors == [] and result.counts["new"] == 2

    def citations(matter):
        return sorted(
            Citation.objects.filter(event__matter=matter).values_list(
                "event__title", "document__exhibit_number", "pinpoint", "note"
            )
        )

    assert citations(target) == citations(source)
    assert {n for *_, n in citations(target)} == {*NOTES, ""}
    imported = Event.objects.get(matter=target, title="First")
    assert [e["note"] for e in imported.history.first().citations_snapshot] == [NOTES[0], NOTES[1], ""]
    again = import_events(read_table(content, name=f"chronology.{fmt}"), matter=target, user=user)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}
