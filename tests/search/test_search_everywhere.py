"""One search for the timeline, the export page and export_chronology; roles; what keeps the index current."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence import search
from evidence.models import Document, Job
from evidence.services.citations import citation_create
from evidence.services.documents import document_update
from evidence.services.events import event_create, event_update
from tests import factories
from tests.search.test_timeline_search import search as search_page
from tests.search.test_timeline_search import snippet, titles


def test_an_outsider_searching_another_matter_gets_404(client, case, outsider):
    client.force_login(outsider)
    response = client.get(reverse("timeline", args=[case.matter.slug]), {"q": "zeppelin"})
    assert response.status_code == 404
    assert b"zeppelin" not in response.content
    assert client.get(reverse("document_list", args=[case.matter.slug]), {"q": "zeppelin"}).status_code == 404


def test_a_search_never_reaches_into_another_matter(client, case, user):
    other = factories.make_matter(owner=user)
    factories.make_event(other, title="Zeppelin elsewhere", description="opt-out PX-2")
    client.force_login(user)
    assert titles(search_page(client, case.matter, "zeppelin")) == ["Privacy policy amended"]
    assert titles(search_page(client, other, "zeppelin")) == ["Zeppelin elsewhere"]
    assert titles(search_page(client, other, "LI-000105")) == []


def test_a_viewer_searches_as_the_timeline_shows_but_exports_no_privileged_event(client, case, viewer, user, tmp_path):
    secret = event_create(matter=case.matter, user=user, date="Oct 2024", title="Work-product note", reason="t",
                          description="Counsel's view on the zeppelin clause.", is_privileged=True)  # fmt: skip
    client.force_login(viewer)
    page = search_page(client, case.matter, "zeppelin")
    assert titles(page) == ["Work-product note", "Privacy policy amended"]  # marked, as the timeline shows it today
    assert "Privileged" in page
    out = tmp_path / "viewer.csv"
    call_command("export_chronology", "--matter", case.matter.slug, "--out", str(out), "--text", "zeppelin",
                 "--user", viewer.username, stdout=io.StringIO())  # fmt: skip
    assert "Privacy policy amended" in out.read_text() and secret.title not in out.read_text()


@pytest.mark.django_db(transaction=True)  # exports are enqueued on commit
def test_the_export_page_and_the_command_use_the_same_search(client, user, tmp_path):
    from tests.search.conftest import Case

    matter = factories.make_matter(owner=user)
    Case(matter, user)
    client.force_login(user)
    query = 'zeppelin OR "privacy setting" OR LI-000105'
    expected = {"Privacy policy amended", "Complaint filed", "Spokesperson denies the claims"}
    assert set(titles(search_page(client, matter, query))) == expected
    response = client.post(reverse("export", args=[matter.slug]), {"text": query, "format": "csv", "paper": "letter"})
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == Job.State.DONE
    csv = b"".join(client.get(reverse("export_download", args=[matter.slug, job.pk])).streaming_content).decode()
    out = tmp_path / "chrono.csv"
    call_command("export_chronology", "--matter", matter.slug, "--out", str(out), "--text", query,
                 stdout=io.StringIO())  # fmt: skip
    for text in (csv, out.read_text()):
        found = {title for title in {*expected, "Setting introduced", "FAQ changed"} if title in text}
        assert found == expected
        # a chronology stays in date order
        assert text.index("Privacy policy amended") < text.index("Complaint filed") < text.index("Spokesperson")


def test_a_search_page_costs_a_fixed_number_of_queries(client, case, user, django_assert_num_queries):
    client.force_login(user)
    url = reverse("timeline", args=[case.matter.slug])
    query = {"q": "consent OR zeppelin OR LI-000105 OR opt-out"}
    with CaptureQueriesContext(connection) as first:
        client.get(url, query)
    for n in range(12):
        event = event_create(matter=case.matter, user=user, date="2023", title=f"Filler {n}", reason="t",
                             issues=["opt-out"])  # fmt: skip
        citation_create(event=event, document=case.policy_pdf, user=user, reason="t")
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(url, query).content.decode()
    assert len(titles(page)) == 3 + 12


def test_the_index_follows_every_way_text_is_written(client, case, user):
    client.force_login(user)
    # the background reader and OCR write the text with an UPDATE, past the services
    Document.objects.filter(pk=case.memo.pk).update(extracted_text="first page\n\fsecond page mentions quokkas")
    citation_create(event=case.complaint, document=case.memo, user=user, reason="t")
    page = search_page(client, case.matter, "quokkas")
    assert titles(page) == ["Complaint filed"]
    assert "<mark>quokkas</mark>" in snippet(page, "Complaint filed")
    # an edit through the services, of an event and of a document's Bates range
    event_update(event=case.faq, user=user, reason="t", title="FAQ rewritten about quokkas")
    assert titles(search_page(client, case.matter, "quokkas")) == ["FAQ rewritten about quokkas", "Complaint filed"]
    document_update(document=case.bates_doc, user=user, reason="t", bates_start="LI-000200", bates_end="LI-000210")
    assert titles(search_page(client, case.matter, "LI-000105")) == []
    assert titles(search_page(client, case.matter, "LI-000203")) == ["Spokesperson denies the claims"]
    # the old words are gone from the index
    assert titles(search_page(client, case.matter, "FAQ changed")) == []


def test_a_pdfs_text_keeps_its_page_breaks(case):
    text = Document.objects.get(pk=case.policy_pdf.pk).extracted_text
    assert text.count("\f") == 2 and text.index("cookies") < text.index("\f", text.index("\f") + 1)


def test_the_query_syntax():
    parsed = search.parse('"privacy setting" opt-out OR PX-2 -spokesperson consen* (a OR b')
    assert [(t.text, t.phrase, t.prefix) for t in parsed.terms] == [
        ("privacy setting", True, False), ("opt-out", False, False), ("PX-2", False, False),
        ("consen", False, True), ("a", False, False), ("b", False, False),
    ]  # fmt: skip
    assert not search.parse("") and not search.parse("AND OR NOT") and not search.parse('" "')
    assert search.parse("NOT x").terms == ()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_can_use_the_gin_indexes(case):
    """The queries repeat the indexed expression exactly (else the index is never used, silently)."""
    from evidence.models import Event
    from evidence.search import postgres
    from evidence.search.query import Term

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    term = Term("zeppelin")
    assert "event_search_vector" in Event.objects.filter(pk__in=postgres.event_ids(term)).explain()
    assert "evidence_searchpage_vector" in Document.objects.filter(pk__in=postgres.document_ids(term)).explain()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_sqlite_puts_back_the_triggers_a_table_rebuild_drops(client, case, user):
    from evidence.search import sqlite

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER evidence_event_fts_insert")
        event_create(matter=case.matter, user=user, date="2023", title="Written while the trigger was gone",
                     reason="t")  # fmt: skip
        assert sqlite.ensure_index(cursor) == ["evidence_event_fts"]
        assert sqlite.ensure_index(cursor) == []
    client.force_login(user)
    assert titles(search_page(client, case.matter, "trigger")) == ["Written while the trigger was gone"]
