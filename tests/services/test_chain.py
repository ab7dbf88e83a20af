"""The hash chain over a matter's history: one link per history row, written with it (imports included), and
verify_chains names the first row that no longer hashes as it did."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from evidence.importing import import_events, read_table
from evidence.models import Citation, Event, HistoryChainHead, HistoryLink, Matter, m2m_history_models
from evidence.services.chain import (
    GENESIS,
    BulkChain,
    chain_head,
    link_sha256,
    returning,
    row_id,
    row_sha256,
    rows_as_read,
    rows_sha256,
    verify_chains,
)
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
    for m2m in m2m_history_models(Event).values():  # an event version's actors and issues, one row each
        ids = m2m.objects.filter(history__matter=matter).values_list("m2m_history_id", flat=True)
        rows |= {(m2m._meta.label_lower, h) for h in ids}
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
    assert {"evidence.historicalevent_actors", "evidence.historicalevent_issues"} <= {m for m, _ in linked}
    imported = Event.history.filter(matter=matter, history_change_reason="Imported from casemap_facts.csv")
    assert imported.exists() and len(links) > before + imported.count() - 1
    report = verify_chains()
    assert not report.problems and report.checked == len(links)


def test_rows_hashed_by_forked_children_are_chained_as_the_stored_rows_hash(matter, user, monkeypatch):
    """An import's rows are hashed by forked children (every set of rows here, however small): the links are those
    verify_chains checks the stored rows against."""
    monkeypatch.setattr(BulkChain, "FORK_FROM", 1)
    make_document(matter, content=b"The article", filename="article.txt")
    table = read_table(FIXTURES / "casemap_facts.csv", name="casemap_facts.csv")
    assert import_events(table, matter=matter, user=user).written
    links = _assert_chained(matter)
    assert {(link.model, link.history_id) for link in links} >= _history_rows(matter)
    report = verify_chains()
    assert not report.problems and report.checked == len(links)


def test_an_import_that_updates_events_is_chained_as_the_stored_rows_hash(matter, user):
    """The second import updates events (new versions, actors and issues replaced, a citation added) and adds one:
    every link's hash is that of its row as verify_chains reads it."""
    make_document(matter, content=b"The article", filename="article.txt")
    first = (
        "Ref,Date,Title,Actors,Issues,Source\n"
        "r1,Aug 2024,Setting introduced,LinkedIn; Alice,Consent,PX-1 p. 2\n"
        "r2,c. Sept 2024,Policy amended,LinkedIn,,\n"
    )
    second = (
        "Ref,Date,Title,Actors,Issues,Source\n"
        "r1,Aug 2024,Setting introduced quietly,LinkedIn,Consent; Notice,PX-1 p. 2; PX-1 p. 5\n"
        "r2,c. Sept 2024,Policy amended,Bob,Notice,PX-1 p. 9\n"
        "r3,2025-01-21,Complaint filed,Plaintiff,,\n"
    )
    assert import_events(read_table(first.encode(), name="first.csv"), matter=matter, user=user).written
    result = import_events(read_table(second.encode(), name="second.csv"), matter=matter, user=user)
    assert result.counts == {"new": 1, "updated": 2, "unchanged": 0, "invalid": 0}
    links = _assert_chained(matter)
    assert {(link.model, link.history_id) for link in links} >= _history_rows(matter)
    report = verify_chains()
    assert not report.problems and report.checked == len(links)


def test_rows_an_insert_returns_are_the_rows_as_stored(matter, user):
    """An import hashes the history rows its INSERT ... RETURNING gave back, verify_chains the stored rows as
    .values() reads them: the same values on every database, for every kind of column (text, JSON, dates, times,
    booleans, nulls)."""
    from evidence.importing.bulk import insert_returning

    document = make_document(matter, content=b"exhibit")
    event = event_create(matter=matter, user=user, date="c. Aug - Sept 2024", title="Policy amended",
                         description="Ünïcode “quoted”", reason="entered", is_key=True, actors=["LinkedIn", "Alice"],
                         issues=["Consent"], citations=[(document, "p. 3", "note")])  # fmt: skip
    citation_create(event=Event.objects.get(pk=event.pk), document=document, pinpoint="p. 4", user=user, reason="r")
    qn = connection.ops.quote_name
    for historical in (Event.history.model, Citation.history.model, *m2m_history_models(Event).values()):
        key = row_id(historical)
        columns = [historical._meta.get_field(name).column for name in returning(historical) if name != key]
        copied = ", ".join(qn(column) for column in columns)
        table = qn(historical._meta.db_table)
        returned = insert_returning(historical, f"INSERT INTO {table} ({copied}) SELECT {copied} FROM {table}", [])
        assert returned
        rows = sorted(rows_as_read(historical, returned), key=lambda row: row[key])
        ids = [row[key] for row in rows]
        stored = list(historical.objects.filter(**{f"{key}__in": ids}).order_by(key).values())
        assert rows == stored
        assert rows_sha256(rows) == [row_sha256(row) for row in stored]


def test_rows_of_integers_hash_as_the_encoder_writes_them():
    rows = [
        {"id": 1, "event_id": 2, "actor_id": 3, "history_id": 4, "m2m_history_id": 5},
        {"id": 1, "event_id": 2, "actor_id": None, "history_id": 4, "m2m_history_id": 6},
        {"id": 1, "event_id": True, "actor_id": 3, "history_id": 4, "m2m_history_id": 7},
        {"id": 10**20, "event_id": -2, "actor_id": 0, "history_id": 4, "m2m_history_id": 8},
        {"id": 1, "event_id": 2, "actor_id": "3", "history_id": 4, "m2m_history_id": 9},
    ]
    assert rows_sha256(rows) == [row_sha256(row) for row in rows]
    assert rows_sha256([{"id": 1}, {"id": 2, "x": 3}]) == [row_sha256({"id": 1}), row_sha256({"id": 2, "x": 3})]


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


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger is PostgreSQL's (migration 0012): SQLite would lose it whenever a migration rebuilds the table",
)
def test_on_postgresql_a_trigger_refuses_changing_or_deleting_links_even_in_raw_sql(matter, user):
    event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered", actors=["A"])
    for sql in (
        "UPDATE evidence_historylink SET content_sha256 = previous_sha256",
        "DELETE FROM evidence_historylink WHERE model = 'evidence.historicalevent_actors'",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert not verify_chains().problems
    event_create(matter=matter, user=user, date="Sept 2024", title="FAQ changed", reason="entered")  # appends still
    assert not verify_chains().problems


def _m2m(name):
    return m2m_history_models(Event)[name]


def test_an_event_versions_actors_and_issues_are_chained_right_after_it(matter, user):
    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered",
                         actors=["LinkedIn", "Alice"], issues=["Consent"])  # fmt: skip
    event_update(event=event, user=user, reason="Bob too", actors=["LinkedIn", "Alice", "Bob"])
    links = _assert_chained(matter)
    assert {(link.model, link.history_id) for link in links} >= _history_rows(matter)
    version = Event.history.filter(id=event.pk).order_by("history_id").last()
    actors = sorted(_m2m("actors").objects.filter(history=version).values_list("m2m_history_id", flat=True))
    issues = _m2m("issues").objects.get(history=version).m2m_history_id
    expected = [
        ("evidence.historicalevent", version.history_id),
        *(("evidence.historicalevent_actors", h) for h in actors),
        ("evidence.historicalevent_issues", issues),
    ]
    assert len(actors) == 3 and [(link.model, link.history_id) for link in links[-len(expected) :]] == expected
    assert not verify_chains().problems


def test_an_m2m_history_row_changed_or_added_in_the_database_is_named(matter, user):
    event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered",
                         actors=["LinkedIn"], issues=["Consent"])  # fmt: skip
    other = event_create(matter=matter, user=user, date="Sept 2024", title="FAQ changed", reason="entered",
                         actors=["Alice"])  # fmt: skip
    actors = _m2m("actors")
    row = actors.objects.get(history__id=event.pk)
    link = HistoryLink.objects.get(model="evidence.historicalevent_actors", history_id=row.m2m_history_id)
    table, actor = actors._meta.db_table, actors._meta.get_field("actor").column
    with connection.cursor() as cursor:  # behind the app's back: the version now names someone else
        cursor.execute(f"UPDATE {table} SET {actor} = %s WHERE m2m_history_id = %s", [other.actors.get().pk, row.pk])
    assert verify_chains().problems == [
        f"matter {matter.slug}: history chain broken at link {link.sequence} (Event actors history "
        f"#{row.m2m_history_id}): content changed"
    ]

    with connection.cursor() as cursor:  # put back, then add a row no link holds
        cursor.execute(f"UPDATE {table} SET {actor} = %s WHERE m2m_history_id = %s", [row.actor_id, row.pk])
    assert not verify_chains().problems
    added = actors.objects.create(history=row.history, event_id=event.pk, actor_id=other.actors.get().pk, id=0)
    assert verify_chains().problems == [
        f"matter {matter.slug}: Event actors history #{added.m2m_history_id} is not in the history chain"
    ]


def test_the_migration_links_m2m_history_written_before_it(matter, user):
    from django.apps import apps
    from simple_history.signals import post_create_historical_m2m_records

    # As before the m2m rows were chained: their event versions are linked, they are not.
    post_create_historical_m2m_records.disconnect(dispatch_uid="evidence.chain.m2m")
    try:
        event = event_create(matter=matter, user=user, date="Aug 2024", title="Policy amended", reason="entered",
                             actors=["LinkedIn", "Alice"], issues=["Consent"])  # fmt: skip
    finally:
        from evidence.services.chain import on_m2m_history_rows

        post_create_historical_m2m_records.connect(on_m2m_history_rows, dispatch_uid="evidence.chain.m2m")
    unlinked = _m2m("actors").objects.filter(history__id=event.pk).order_by("m2m_history_id").first()
    assert verify_chains().problems == [
        f"matter {matter.slug}: Event actors history #{unlinked.m2m_history_id} is not in the history chain"
    ]
    before = HistoryLink.objects.filter(matter=matter).count()

    migration = importlib.import_module("evidence.migrations.0012_history_chain_m2m_and_append_only_links")
    migration.chain_existing_m2m_history(apps, None)
    links = _assert_chained(matter)
    assert len(links) == before + 3
    assert {(link.model, link.history_id) for link in links} >= _history_rows(matter)
    assert not verify_chains().problems
    migration.chain_existing_m2m_history(apps, None)  # run again: nothing left to link
    assert HistoryLink.objects.filter(matter=matter).count() == before + 3


def _pdf_cover_text(matter, user):
    from tests.exporting.readback import export_pdf, flat, pdftotext

    return flat(pdftotext(export_pdf(matter, user), first=1, last=1))


def test_an_export_without_rows_states_its_head_and_the_access_log_records_it(client, matter, user, tmp_path):
    import io

    import openpyxl
    from django.core.management import call_command
    from django.urls import reverse

    from evidence.models import AccessEvent

    head = chain_head(matter).head_text  # the matter's own creation and its owner's membership: no events
    assert head.startswith("#2 ")
    assert f"History chain head {head}" in _pdf_cover_text(matter, user)

    xlsx, csv_file = tmp_path / "chronology.xlsx", tmp_path / "chronology.csv"
    for out in (xlsx, csv_file):
        call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--user", user.username)
    assert openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).properties.keywords == f"history chain {head}"
    assert csv_file.read_bytes().decode().splitlines()[0].endswith(",history_chain")
    assert len(csv_file.read_bytes().decode().splitlines()) == 1  # a head-only row would import as an event
    assert [e.detail["history_chain"] for e in AccessEvent.objects.order_by("sequence")] == [head, head]
    client.force_login(user)
    page = client.get(reverse("access_log", args=[matter.slug]), {"kind": "export"}).content.decode()
    assert f'History chain <span class="mono">{head}</span>' in page
    # and the empty export still imports back
    result = import_events(read_table(csv_file.read_bytes(), name="chronology.csv"), matter=matter, user=user)
    assert result.plan.ok and result.counts["new"] == 0


def test_exports_of_a_matter_with_nothing_chained_say_empty(user, settings):
    import csv
    import io

    import openpyxl

    from evidence.exporting import ExportOptions, export_chronology
    from tests.factories import make_matter

    settings.SIMPLE_HISTORY_ENABLED = False  # as for a matter whose history was never recorded
    matter = make_matter(owner=user)
    event = Event(matter=matter, title="Policy amended")
    event.date = matter.read_date("Aug 2024")
    event.save()
    settings.SIMPLE_HISTORY_ENABLED = True
    assert not HistoryLink.objects.filter(matter=matter).exists()
    assert chain_head(matter).head_text == "empty"

    def export(fmt):
        return export_chronology(matter=matter, user=user, options=ExportOptions(format=fmt)).content

    rows = list(csv.DictReader(io.StringIO(export("csv").decode(), newline="")))
    assert [r["history_chain"] for r in rows] == ["empty"]
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx")))
    assert book.properties.keywords == "history chain empty"
    header, first = list(book.active.iter_rows(values_only=True))
    assert first[header.index("history_chain")] == "empty"
    text = _pdf_cover_text(matter, user)
    assert "History chain empty" in text and "verify_evidence" not in text
