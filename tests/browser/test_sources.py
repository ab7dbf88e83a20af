"""Tracked sources in a real browser, on the demo matter: open a source, compare its two versions (the redline), and
ask what was in force in Aug 2024, for everyone and for the audience the FAQ's second version was shown to; then open
a version the answer names and download its capture certificate; show the sources' versions on the visual timeline."""

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_paralegal_day import log_in
from tests.exporting.readback import flat, pdftotext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_a_source_compare_its_versions_and_ask_what_was_in_force(page, live_server, screenshot):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()

    # The source, its versions along its line, labelled as illustrative text.
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="Privacy Policy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy Policy")
    expect(page.get_by_text("Illustrative text, not the real wording").first).to_be_visible()
    expect(page.locator(".source-version")).to_have_count(2)
    screenshot(page, "source-detail")

    # The redline of its two versions: words inserted and deleted, both marked.
    page.get_by_role("link", name="Compare the last two versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redline of Privacy Policy")
    expect(page.locator(".redline-text ins").first).to_be_visible()
    expect(page.locator(".redline-text del").first).to_be_visible()
    screenshot(page, "source-redline")

    # What was in force in Aug 2024: asked from the sources' list, answered per source with the versions linked.
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Sources").click()
    page.get_by_role("link", name="In force on a date").click()
    page.get_by_label("In force on").fill("Aug 2024")
    page.get_by_role("button", name="Ask").click()
    expect(page).to_have_url(re.compile(r"/sources/in-force\?date=Aug\+2024"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("In force on Aug 2024")
    policy = page.locator("section.in-force-source", has=page.get_by_role("link", name="Privacy Policy", exact=True))
    expect(policy.locator(".summary")).to_have_text("v1")
    expect(policy).to_contain_text("took effect Nov 20, 2024, after the date")
    faq = page.locator("section.in-force-source", has=page.get_by_role("link", name="Generative AI FAQ", exact=True))
    expect(faq).to_contain_text("The answer depends on the audience")
    screenshot(page, "source-in-force")

    # For the FAQ's audience only; the version's link opens its page.
    page.get_by_label("Audience").select_option(label="Members outside the UK, EEA and Switzerland")
    page.get_by_role("button", name="Ask").click()
    expect(faq).not_to_contain_text("The answer depends on the audience")
    expect(faq.locator(".summary")).to_contain_text("may apply")
    policy.get_by_role("link", name="v1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy Policy, version 1 of 2")

    # Its capture certificate: a one-page PDF stating the version's SHA-256.
    sha256 = page.locator(".hash").first.inner_text().strip()
    screenshot(page, "source-version")
    with page.expect_download() as download:
        page.get_by_role("link", name="Capture certificate (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1
    assert sha256 in flat(pdftotext(content))

    # The timeline's visual band: a lane per tracked source, a mark per version linked to its page.
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Timeline").click()
    visual = page.locator("details#visual")
    if visual.get_attribute("open") is None:
        visual.locator("summary").click()
    expect(visual.locator("svg.timeline")).to_be_visible()
    visual.get_by_label("Tracked sources’ versions").check()
    expect(visual.locator("g.source-lane")).to_have_count(2)
    expect(visual.locator("g.source-lane a")).to_have_count(4)
    visual.scroll_into_view_if_needed()
    screenshot(page, "timeline-sources", full_page=False)
