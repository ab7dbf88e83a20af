"""evidence.selectors: the reads pages, admin, exports and commands share, scoped and N+1-free."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence import selectors
from evidence.services.citations import citation_create
from evidence.services.documents import document_delete
from tests.factories import make_document, make_event, make_matter


def test_timeline_costs_the_same_queries_for_one_event_as_for_thirty(matter, user):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for event in selectors.events_for_timeline(matter=matter):
                [a.name for a in event.actors.all()]
                [c.document.exhibit_label for c in event.citations.all()]
        return len(ctx.captured_queries)

    document = make_document(matter)
    first = make_event(matter, actors=["LinkedIn"], issues=["Consent"])
    citation_create(event=first, document=document, user=user, reason="cite")
    one = queries()
    for i in range(29):
        event = make_event(matter, title=f"Event {i}", actors=[f"Person {i}"])
        citation_create(event=event, document=document, pinpoint=f"p. {i}", user=user, reason="cite")
    assert queries() == one


def test_an_event_matched_by_several_tags_or_cited_documents_is_listed_once(matter, user):
    both = make_event(matter, title="Tagged twice", actors=["LinkedIn", "Microsoft"], issues=["Consent", "Notice"])
    make_event(matter, title="Untagged")
    for i in range(2):
        document = make_document(matter, content=f"memo {i} on the opt-out setting".encode(), filename=f"m{i}.txt")
        citation_create(event=both, document=document, pinpoint=f"p. {i}", user=user, reason="cite")
    for filters in (
        selectors.TimelineFilters(issues=("Consent", "Notice")),
        selectors.TimelineFilters(actors=("LinkedIn", "Microsoft")),
        selectors.TimelineFilters(text="opt-out"),
        selectors.TimelineFilters(text="opt-out", issues=("Consent", "Notice"), actors=("LinkedIn", "Microsoft")),
    ):
        listed = selectors.events_for_timeline(matter=matter, filters=filters)
        assert [e.title for e in listed] == ["Tagged twice"]
        assert listed.count() == 1


def test_a_document_cited_twice_is_offered_once_to_the_event_that_cites_it(matter, user):
    document = make_document(matter, content=b"cited twice")
    event = make_event(matter, title="Cites it twice")
    for pinpoint in ("p. 1", "p. 2"):
        citation_create(event=event, document=document, pinpoint=pinpoint, user=user, reason="cite")
    document_delete(document=document, user=user, reason="duplicate")
    assert list(selectors.documents_citable(matter=matter, event=event)) == [document]


def test_a_deleted_document_stays_citable_only_by_the_events_that_cite_it(matter, user):
    kept, gone = make_document(matter, content=b"kept"), make_document(matter, content=b"gone")
    citing = make_event(matter, title="Cites the deleted one")
    citation_create(event=citing, document=gone, user=user, reason="cite")
    document_delete(document=gone, user=user, reason="duplicate")
    assert list(selectors.documents_citable(matter=matter)) == [kept]
    assert list(selectors.documents_citable(matter=matter, event=citing)) == [kept, gone]


def test_reads_never_cross_into_another_matter(matter, user):
    other = make_matter(owner=user)
    make_event(other, title="Elsewhere", actors=["Other actor"], issues=["Other issue"])
    make_event(matter, title="Here", actors=["LinkedIn"], issues=["Consent"])
    assert [e.title for e in selectors.events_for_timeline(matter=matter)] == ["Here"]
    assert selectors.actor_names(matter=matter) == ["LinkedIn"]
    assert selectors.issue_names(matter=matter) == ["Consent"]
    document = make_document(other, content=b"other matter's file")
    assert selectors.documents_by_hash(matter=matter, hashes=[document.sha256]) == {}


def test_the_export_cover_states_the_date_rule_with_its_window(matter, user):
    import datetime as dt

    from evidence.exporting import ExportOptions, export_chronology
    from tests.exporting.readback import flat, pdftotext

    make_event(matter, date="Nov 2024")
    window = selectors.TimelineFilters(date_from=dt.date(2024, 10, 1), date_to=dt.date(2025, 12, 31))
    pdf = export_chronology(matter=matter, user=user, options=ExportOptions(format="pdf", filters=window)).content
    assert (
        "Dates: events that may fall between Oct 1, 2024 and Dec 31, 2025 (overlapping spans; undated events excluded)"
        in flat(pdftotext(pdf, first=1, last=1))
    )


def test_a_window_with_undated_events_costs_no_more_queries(matter):
    import datetime as dt

    make_event(matter, date="before 2025", actors=["LinkedIn"])
    make_event(matter, date="unknown")

    def queries(**filters) -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(selectors.events_for_timeline(matter=matter, filters=selectors.TimelineFilters(**filters)))
        return len(ctx.captured_queries)

    assert queries(date_from=dt.date(2024, 1, 1), include_undated=True) == queries()
