"""A version is the whole event, in a real browser: an event cites a document, the citation is removed, and restoring
the first version (through its confirmation page, with a reason) brings the citation back."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_paralegal_day import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_restoring_a_version_brings_back_its_citation(page, live_server, screenshot):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()

    # An event citing the article, with a pinpoint and a note.
    page.get_by_role("link", name="Add event").click()
    page.get_by_label("Date (as known)").fill("Sept 18, 2024")
    page.get_by_label("Title").fill("LinkedIn's spokesperson denies the opt-in")
    page.get_by_label("Document, citation 1").select_option(index=1)
    page.get_by_label("Pinpoint, citation 1").fill("¶ 9")
    page.get_by_label("Note, citation 1").fill("the denial, quoted")
    page.get_by_role("button", name="Add event", exact=True).click()
    expect(page.locator(".citations-list")).to_contain_text("PX-1 ¶ 9")

    # The citation is removed: a version of its own, whose change says so.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Remove citation 1").check()
    page.get_by_label("Reason for change").fill("not the right paragraph")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Event saved (version 2)")
    expect(page.locator(".citations-list")).to_have_count(0)
    newest = page.locator(".versions > li").first
    expect(newest.get_by_role("row", name=re.compile(r"^Sources "))).to_contain_text("removed PX-1 ¶ 9")

    # Restoring version 1: the confirmation page shows what will change and asks why.
    page.get_by_role("link", name="Restore version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restore version 1 of")
    expect(page.get_by_role("row", name=re.compile(r"^Sources "))).to_contain_text(
        "added PX-1 ¶ 9 (note “the denial, quoted”)"
    )
    page.get_by_role("button", name="Restore version 1").click()  # no reason yet: the browser asks for one
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restore version 1 of")
    page.get_by_label("Reason").fill("the paragraph is right after all")
    screenshot(page, "version-restore-confirm")
    page.get_by_role("button", name="Restore version 1").click()

    expect(page.get_by_role("status")).to_contain_text("Version 1 restored as version 3")
    expect(page.locator(".citations-list")).to_contain_text("PX-1 ¶ 9")
    expect(page.locator(".citations-list")).to_contain_text("the denial, quoted")
    restored = page.locator(".versions > li").first
    expect(restored).to_contain_text("the paragraph is right after all")
    expect(restored.get_by_role("row", name=re.compile(r"^Sources "))).to_contain_text("added PX-1 ¶ 9")
    page.locator("#history-h").scroll_into_view_if_needed()
    screenshot(page, "event-history")
