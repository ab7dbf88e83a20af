"""The admin warns about a pinpoint past a PDF's last page wherever a citation is entered (the event's citations, the
citation's own page, the document's "Cited by" rows): the form comes back with the warning and a "Save anyway" box;
nothing is saved until it is ticked."""

import re

import pytest
from django.urls import reverse

from evidence.models import Citation, Event
from tests.admin.conftest import event_data, page
from tests.admin.test_imports import preview
from tests.factories import make_document, make_pdf

WARNING = "PX-2 has 3 pages; p. 99 is past its last page."


@pytest.fixture
def exhibit(world):
    return make_document(world.a, content=make_pdf(3), filename="px.pdf", title="Signed agreement")


def change_url(obj):
    return reverse(f"admin:evidence_{obj._meta.model_name}_change", args=[obj.pk])


def save_anyway(html: str) -> str:
    match = re.search(r'<input type="checkbox" name="confirm_pages" value="([0-9a-f]+)"[^>]*>', html)
    assert match, "the form offers to save anyway"
    return match.group(1)


def test_the_event_s_citations_warn_then_save_once_confirmed(client, world, exhibit):
    event = world.event
    client.force_login(world.users["editor"])
    data = event_data(event, reason="second source") | {
        "citations-TOTAL_FORMS": 2, "citations-1-document": exhibit.pk, "citations-1-pinpoint": "p. 99",
    }  # fmt: skip

    warned = client.post(change_url(event), data)

    html = page(warned)
    assert warned.status_code == 200 and WARNING in html and "Save anyway" in html
    assert not Citation.objects.filter(document=exhibit).exists() and Event.objects.get(pk=event.pk).version == 1
    assert client.post(change_url(event), data | {"confirm_pages": save_anyway(html)}).status_code == 302
    assert list(Citation.objects.filter(document=exhibit).values_list("pinpoint", flat=True)) == ["p. 99"]
    assert Event.objects.get(pk=event.pk).version == 2


def test_a_new_event_citing_past_the_last_page_is_warned_about(client, world, exhibit):
    client.force_login(world.users["editor"])
    data = {
        "matter": world.a.pk, "date": "Aug 2024", "order": 0, "title": "Opt-in", "kind": "other", "status": "disputed",
        "citations-TOTAL_FORMS": 1, "citations-INITIAL_FORMS": 0, "citations-0-document": exhibit.pk,
        "citations-0-pinpoint": "p. 99",
    }  # fmt: skip
    warned = client.post(reverse("admin:evidence_event_add"), data)
    assert WARNING in page(warned) and not Event.objects.filter(title="Opt-in").exists()
    confirmed = client.post(reverse("admin:evidence_event_add"), data | {"confirm_pages": save_anyway(page(warned))})
    assert confirmed.status_code == 302 and Event.objects.get(title="Opt-in").citations.get().pinpoint == "p. 99"


def test_an_event_change_that_keeps_a_confirmed_pinpoint_is_not_warned_again(client, world, exhibit):
    event = world.event
    client.force_login(world.users["editor"])
    data = event_data(event, reason="second source") | {
        "citations-TOTAL_FORMS": 2, "citations-1-document": exhibit.pk, "citations-1-pinpoint": "p. 99",
    }  # fmt: skip
    client.post(change_url(event), data | {"confirm_pages": save_anyway(page(client.post(change_url(event), data)))})
    event.refresh_from_db()
    retitled = client.post(change_url(event), event_data(event, title="Opt-in setting", reason="title per ¶ 2"))
    assert retitled.status_code == 302 and Event.objects.get(pk=event.pk).title == "Opt-in setting"


def test_a_citation_s_own_page_warns_then_saves_once_confirmed(client, world, exhibit):
    client.force_login(world.users["editor"])
    data = {"event": world.event.pk, "document": exhibit.pk, "pinpoint": "p. 99", "note": "", "reason": ""}
    warned = client.post(reverse("admin:evidence_citation_add"), data)
    assert WARNING in page(warned) and not Citation.objects.filter(document=exhibit).exists()
    # A pinpoint changed after the warning is warned about again, whatever was ticked for the one before.
    changed = client.post(
        reverse("admin:evidence_citation_add"), data | {"pinpoint": "at 4", "confirm_pages": save_anyway(page(warned))}
    )
    assert "PX-2 has 3 pages; at 4 is past its last page." in page(changed)
    assert not Citation.objects.filter(document=exhibit).exists()
    confirmed = client.post(reverse("admin:evidence_citation_add"), data | {"confirm_pages": save_anyway(page(warned))})
    assert confirmed.status_code == 302 and Citation.objects.get(document=exhibit).pinpoint == "p. 99"


def test_a_pinpoint_within_the_document_saves_at_once(client, world, exhibit):
    client.force_login(world.users["editor"])
    data = {"event": world.event.pk, "document": exhibit.pk, "pinpoint": "pp. 2-3", "note": "", "reason": ""}
    assert client.post(reverse("admin:evidence_citation_add"), data).status_code == 302


def test_the_document_s_cited_by_rows_warn_then_save_once_confirmed(client, world, exhibit):
    client.force_login(world.users["editor"])
    data = {
        "title": exhibit.title, "date": "", "author": "", "source_url": "", "bates_start": "", "bates_end": "",
        "reason": "cited in the chronology", "citations-TOTAL_FORMS": 1, "citations-INITIAL_FORMS": 0,
        "citations-0-document": exhibit.pk, "citations-0-event": world.event.pk, "citations-0-pinpoint": "p. 99",
    }  # fmt: skip
    warned = client.post(change_url(exhibit), data)
    assert warned.status_code == 200 and WARNING in page(warned)
    assert not Citation.objects.filter(document=exhibit).exists()
    assert client.post(change_url(exhibit), data | {"confirm_pages": save_anyway(page(warned))}).status_code == 302
    assert Citation.objects.get(document=exhibit).pinpoint == "p. 99"


def test_the_document_page_of_the_admin_shows_its_page_count(client, world, exhibit):
    client.force_login(world.users["editor"])
    html = page(client.get(change_url(exhibit)))
    assert re.search(r"Page count:</label>\s*<div class=\"readonly\">3</div>", html)


def test_the_import_preview_lists_the_warnings_with_their_rows_and_can_be_confirmed(client, world, exhibit):
    client.force_login(world.users["owner"])
    csv = (
        b"Date,Title,Sources\r\nAug 2024,Opt-in setting introduced,PX-2 p. 99\r\nSept 2024,Policy amended,PX-2 p. 3\r\n"
    )

    html = page(preview(client, world.a, "events.csv", csv))

    assert re.search(rf"<tr><td>2</td><td>{re.escape(WARNING)}</td></tr>", html)
    assert "Policy amended" in html and "p. 3 is past" not in html
    assert ">Import 2 new and 0 updated events</button>" in html  # a warning does not stop the import
