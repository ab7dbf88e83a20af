"""The document viewer in a real browser: a citation opens its exhibit at the page its pinpoint names (a page, a
Bates number, a paragraph), with thumbnails, search and zoom; selected text becomes a new event citing its page.

Every request that leaves the machine is blocked and fails the test: pdf.js, its worker and its fonts must come from
the app's own static files, and the page must not break its Content-Security-Policy to run them.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Event, Matter
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake
from tests.factories import make_text_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "linkedin-ai-training"
PAGES = [
    "Privacy policy, page 1: who we are.",
    "Privacy policy, page 2: members are opted in to AI training by default.",
    "Privacy policy, page 3: how to opt out of data sharing.",
    "Privacy policy, page 4: members in the UK, EEA and Switzerland.",
    "Privacy policy, page 5: changes to this policy.",
]
COMPLAINT = "CLASS ACTION COMPLAINT\n\n1. Plaintiff is a Premium user.\n\n2. LinkedIn added a setting.\n\n3. It was on."


@pytest.fixture
def offline(page):
    """Aborts, and lists, every request to any host but the live server's; lists every policy violation."""
    left, violations = [], []

    def route(route):
        url = urlsplit(route.request.url)
        # chrome: and chrome-extension: are the browser's own PDF viewer (the document page's preview frame).
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in ("localhost", "127.0.0.1"):
            left.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", route)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))
    yield left, violations
    assert left == [], f"requests that left the machine: {left}"
    assert violations == [], violations


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    matter = Matter.objects.get(slug=SLUG)
    user = get_user_model().objects.get(username="paralegal")
    policy = document_intake(
        matter=matter, user=user, file=io.BytesIO(make_text_pdf(PAGES)), filename="privacy-policy.pdf",
        title="Privacy policy (Sept 2024)", bates_start="LI-000104", bates_end="LI-000108", reason="test",
    ).document  # fmt: skip
    complaint = document_intake(
        matter=matter, user=user, file=io.BytesIO(COMPLAINT.encode()), filename="complaint.txt", reason="test"
    ).document
    return matter, user, policy, complaint


def log_in(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("paralegal")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()


def wait_for_viewer(page):
    expect(page.locator("#viewer")).to_have_attribute("data-ready", "true", timeout=20_000)


def test_a_citation_opens_its_page(page, live_server, demo, offline, screenshot):
    matter, user, policy, complaint = demo
    event = Event.objects.filter(matter=matter).order_by("date_sort").first()
    citation_create(event=event, document=policy, user=user, reason="test", pinpoint="LI-000106")
    citation_create(event=event, document=complaint, user=user, reason="test", pinpoint="¶ 2")
    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    log_in(page, base)

    # From the event page: the Bates number LI-000106 is the third page of LI-000104 – LI-000108.
    page.goto(f"{base}/m/{SLUG}/events/{event.pk}/")
    page.locator(".citations-list").get_by_role("link", name=policy.exhibit_label, exact=True).click()
    wait_for_viewer(page)
    expect(page.get_by_role("note")).to_have_text("Opened at page 3 for the pinpoint “LI-000106”.")
    expect(page.get_by_label("Page", exact=True)).to_have_value("3")
    expect(page.locator("#page-count")).to_have_text("of 5")
    expect(page.locator(".thumb[aria-current=page]")).to_have_attribute("data-page", "3")
    expect(page.get_by_label("Pinpoint")).to_have_value("p. 3")
    third = page.locator('.page[data-page-number="3"]')
    expect(third.locator(".textLayer")).to_contain_text("page 3: how to opt out", timeout=10_000)
    assert third.locator("canvas").count() == 1  # drawn by pdf.js, from the app's own static files
    top = page.evaluate("document.getElementById('pdf-container').getBoundingClientRect().top")
    assert abs(third.bounding_box()["y"] - top) < 40  # scrolled to its top, not merely somewhere on the way
    page.wait_for_timeout(300)  # the thumbnails in view are drawn
    screenshot(page, "document-viewer", full_page=False)

    # From the timeline, a text cited by paragraph: ¶ 2 is shown and marked.
    page.goto(f"{base}/m/{SLUG}/")
    row = page.locator(f"#event-{event.pk}")
    row.get_by_role("link", name=complaint.exhibit_label, exact=True).click()
    wait_for_viewer(page)
    expect(page.locator("#para-2")).to_have_class(re.compile(r"\blocated\b"))
    expect(page.locator("#para-2")).to_be_in_viewport()
    expect(page.get_by_label("Pinpoint")).to_have_value("¶ 2")

    # From the document page's "Cited by": the PDF again, and there its search, thumbnails and zoom.
    page.goto(f"{base}/m/{SLUG}/documents/{policy.pk}/")
    page.locator("#cited-by").get_by_role("link", name="LI-000106").click()
    wait_for_viewer(page)
    expect(page.get_by_label("Page", exact=True)).to_have_value("3")

    page.get_by_label("Find in document").fill("Switzerland")
    expect(page.locator("#find-status")).to_have_text("1 of 1 match")
    expect(page.get_by_label("Page", exact=True)).to_have_value("4")
    expect(page.locator('.page[data-page-number="4"] .textLayer .highlight')).to_have_count(1)
    page.get_by_label("Find in document").fill("no such words anywhere")
    expect(page.locator("#find-status")).to_have_text("Not found")

    page.locator('.thumb[data-page="1"]').click()
    expect(page.get_by_label("Page", exact=True)).to_have_value("1")
    expect(page.get_by_label("Pinpoint")).to_have_value("p. 1")

    first = page.locator('.page[data-page-number="1"]')
    width = first.bounding_box()["width"]
    page.get_by_label("Zoom", exact=True).select_option("0.5")
    expect(first).to_have_css("width", re.compile(r"^\d+(\.\d+)?px$"))
    page.wait_for_function(f"document.querySelector('.page[data-page-number=\"1\"]').offsetWidth < {width} * 0.8")
    narrow = first.bounding_box()["width"]
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(f"document.querySelector('.page[data-page-number=\"1\"]').offsetWidth > {narrow} * 1.05")
    page.get_by_label("Page", exact=True).fill("5")
    page.get_by_label("Page", exact=True).press("Enter")
    expect(page.locator(".thumb[aria-current=page]")).to_have_attribute("data-page", "5")


def test_selected_text_becomes_a_new_event_citing_its_page(page, live_server, demo, offline, screenshot):
    matter, user, policy, _ = demo
    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/documents/{policy.pk}/view?pin=p.%202")
    wait_for_viewer(page)
    expect(page.get_by_label("Page", exact=True)).to_have_value("2")

    button = page.get_by_role("button", name="New event from selection…")
    expect(button).to_be_disabled()
    line = page.locator('.page[data-page-number="2"] .textLayer span', has_text="opted in").first
    line.select_text()
    expect(button).to_be_enabled()
    expect(page.locator("#selection-preview")).to_contain_text("members are opted in to AI training by default")
    expect(page.locator("#selection-preview")).to_contain_text("(p. 2)")
    screenshot(page, "document-viewer-selection", full_page=False)
    button.click()

    # The event form, prefilled: the selection as the description, the page as the pinpoint, and a reason.
    expect(page.get_by_role("heading", level=1)).to_contain_text("event", ignore_case=True)
    expect(page.get_by_label("Description")).to_have_value(PAGES[1])
    expect(page.get_by_label("Pinpoint, citation 1")).to_have_value("p. 2")
    expect(page.get_by_label("Document, citation 1")).to_have_value(str(policy.pk))
    expect(page.get_by_label("Reason for change")).to_have_value(f"from {policy.exhibit_label} p. 2 in the viewer")
    page.get_by_label("Date (as known)").fill("Sept 18, 2024")
    page.get_by_label("Title").fill("Privacy policy says members are opted in")
    page.get_by_role("button", name="Add event", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Event added")
    event = Event.objects.get(matter=matter, title="Privacy policy says members are opted in")
    assert event.description == PAGES[1]
    assert [(c.document_id, c.pinpoint) for c in event.citations.all()] == [(policy.pk, "p. 2")]
    assert event.history.first().history_change_reason == f"from {policy.exhibit_label} p. 2 in the viewer"
    expect(page.locator(".citations-list")).to_contain_text(f"{policy.exhibit_label} p. 2")

    # "Cite this page" on an existing event: its edit form with the citation added, saved with a reason.
    page.goto(f"{base}/m/{SLUG}/documents/{policy.pk}/view?pin=p.%204")
    wait_for_viewer(page)
    page.get_by_label("Event", exact=True).select_option(str(event.pk))
    expect(page.get_by_label("Event", exact=True).locator("option:checked")).to_contain_text(
        "Sept 18, 2024 — Privacy policy says"
    )
    page.get_by_role("button", name="Cite this page…").click()
    expect(page.get_by_label("Pinpoint, citation 2")).to_have_value("p. 4")
    expect(page.get_by_label("Reason for change")).to_have_value(f"cited {policy.exhibit_label} p. 4 from the viewer")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Event saved (version 2)")
    assert sorted(event.citations.values_list("pinpoint", flat=True)) == ["p. 2", "p. 4"]
