"""The hash chain over a matter's history: one link per history row, written with it (imports included), and
verify_chains names the first row that no longer hashes as it did."""

from evidence.importing import import_events, read_table
from evidence.models import Citation, Event, HistoryChainHead, HistoryLink, Matter
from evidence.services.chain import GENESIS, chain_head, link_sha256, verify_chains
from evidence.services.citations import citation_create, citation_delete
from evidence.services.events import event_create, event_update
from tests.factories import make_document
from tests.importing.support import FIXTURES

HISTORY = (Matter, Event, Citation)


def _history_rows(matter):
    """Every history row of the matter, as (model label, history_id)."""
    rows = {(Matter.history.model._meta.label_lower, h) for h in matter.history.values_list("history_id", flat=True)}
    for model in (Event, Citation):
        historical = model.history.model
        where = {"event__matter": matter} if model is Citation else {"matter": matter}
        rows |= {
            (historical._meta.label_lower, h)
            for h in historical.objects.filter(**where).values_list("history_id", flat=True)
        }
    return rows


def _assert_chained(matter):
    links = list(HistoryLink.objects.filter(matter=matter).order_by("sequence"))
    assert [link.sequence for link in links] == list(range(1, len(links) + 1))
    previous = GENESIS
    for link in links:
        assert link.previous_sha256 == previous
        assert link.chain_sha256 == link_sha256(
            previous, link.sequence, link.model, link.history_id, link.content_sha256
        )
        previous = link.chain_sha256
    head = HistoryChainHead.objects.get(matter=matter)
    assert (head.sequence, head.chain_sha256) == (len(links), previous)
    return links


def test_every_history_row_gets_one_link_in_the_order_written(matter, user):
    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered")
    event_update(event=event, user=user, reason="corrected", title="Policy amended again")
    document = make_document(matter, content=b"exhibit")
    citation = citation_create(event=Event.objects.get(pk=event.pk), document=document, user=user, reason="cited")
    citation_delete(citation=citation, user=user, reason="uncited")
    links = _assert_chained(matter)
    linked = [(link.model, link.history_id) for link in links]
    assert len(linked) == len(set(linked))
    assert set(linked) >= _history_rows(matter)
    assert {link.model for link in links} >= {"evidence.historicalevent", "evidence.historicalcitation",
                                              "evidence.historicaldocument"}  # fmt: skip
    assert linked[-1][0] == "evidence.historicalevent"  # the citation's removal is a new version of the event
    assert not verify_chains().problems


def test_a_bulk_import_is_chained_in_its_transaction(matter, user):
    make_document(matter, content=b"The article", filename="article.txt")
    before = HistoryLink.objects.filter(matter=matter).count()
    table = read_table(FIXTURES / "casemap_facts.csv", name="casemap_facts.csv")
    assert import_events(table, matter=matter, user=user).written
    links = _assert_chained(matter)
    linked = {(link.model, link.history_id) for link in links}
    assert linked >= _history_rows(matter)
    imported = Event.history.filter(matter=matter, history_change_reason="Imported from casemap_facts.csv")
    assert imported.exists() and len(links) > before + imported.count() - 1
    report = verify_chains()
    assert not report.problems and report.checked == len(links)


def test_a_history_row_changed_in_the_database_is_named(matter, user):
    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered")
    event_update(event=event, user=user, reason="corrected", title="Policy amended again")
    assert not verify_chains().problems
    first = Event.history.filter(id=event.pk).order_by("history_id").first()
    Event.history.filter(history_id=first.history_id).update(title="Something else")  # an UPDATE behind the app
    link = HistoryLink.objects.get(model="evidence.historicalevent", history_id=first.history_id)
    problems = verify_chains().problems
    assert problems == [
        f"matter {matter.slug}: history chain broken at link {link.sequence} (Event history #{first.history_id}): "
        "content changed"
    ]


def test_chain_head_names_sequence_and_hash(matter, user):
    event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered")
    head = chain_head(matter)
    assert head.head_text == f"#{head.sequence} {head.chain_sha256[:16]}" and head.sequence >= 2


def test_exports_state_the_chain_head_they_were_built_from(matter, user):
    import csv
    import io

    import openpyxl

    from evidence.exporting import ExportOptions, chronology_for, export_chronology
    from evidence.exporting.pdf import html_for

    event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered")
    head = chain_head(matter).head_text
    assert head.startswith("#") and len(head.split()[1]) == 16

    csv_bytes = export_chronology(matter=matter, user=user, options=ExportOptions(format="csv")).content
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8"), newline="")))
    assert [r["history_chain"] for r in rows] == [head]

    xlsx = export_chronology(matter=matter, user=user, options=ExportOptions(format="xlsx")).content
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.properties.keywords == f"history chain {head}"
    header, first = list(book.active.iter_rows(values_only=True))[:2]
    assert first[header.index("history_chain")] == head

    html = html_for(chronology_for(matter=matter, user=user, options=ExportOptions(format="pdf")))
    assert "History chain" in html and head in html

    # the export imports back: the column is recognised and ignored
    table = read_table(csv_bytes, name="export.csv")
    result = import_events(table, matter=matter, user=user, dry_run=True)
    assert result.plan.ok
