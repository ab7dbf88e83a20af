"""Editions in a real browser: a PDF exported from the export page is listed there as edition 1; after a date is
corrected, an event removed and a pinpoint cited, "Compare with now" shows each change, and the redline PDF
downloads from the comparison."""

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Document, Edition, Event
from evidence.services.citations import citation_create
from evidence.services.events import event_delete, event_update
from tests.browser.test_paralegal_day import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_export_becomes_an_edition_that_the_chronology_is_compared_with(page, live_server, screenshot):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_text("No edition yet")).to_be_visible()
    page.get_by_role("button", name="Export", exact=True).click()
    expect(page.get_by_text("Export ready")).to_be_visible()

    page.get_by_role("link", name="Export", exact=True).click()
    edition = Edition.objects.get()
    row = page.locator("table.editions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(edition.sha256)
    expect(row).to_contain_text("Privileged events excluded")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    assert hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest() == edition.sha256

    user = edition.user
    dated = Event.objects.get(matter=edition.matter, title__startswith="LinkedIn modifies its privacy policy")
    event_update(event=dated, user=user, reason="date confirmed", date="Sept 18, 2024")
    removed = Event.objects.get(matter=edition.matter, title__startswith="LinkedIn spokesperson")
    event_delete(event=removed, user=user, reason="withdrawn")
    filed = Event.objects.get(matter=edition.matter, title__startswith="Complaint filed")
    article = Document.objects.get(matter=edition.matter, exhibit_number=1)  # the demo's sources' versions follow it
    citation_create(event=filed, document=article, pinpoint="¶ 12",
                    note="quoted in the complaint", user=user, reason="new pinpoint")  # fmt: skip

    row.get_by_role("link", name="Compare with now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes since edition 1")
    expect(page.locator(".edition-facts")).to_contain_text("0 added, 1 removed, 2 changed; 4 unchanged")
    changed = page.locator(f"#event-{dated.pk}")
    expect(changed.locator("del")).to_contain_text("c. Sept 2024")
    expect(changed.locator("ins")).to_contain_text("Sept 18, 2024")
    expect(page.locator(f"#event-{removed.pk}")).to_contain_text("deleted since the edition")
    expect(page.locator(f"#event-{filed.pk} .sources ins")).to_contain_text("PX-1 ¶ 12 — quoted in the complaint")
    screenshot(page, "edition-compare")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download redline PDF").click()
    assert download.value.suggested_filename.startswith("linkedin-ai-training-redline-edition-1-")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
