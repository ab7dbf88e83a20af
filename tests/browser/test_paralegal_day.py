"""A paralegal's day, in a real browser: log in, open the demo matter, add an event with a fuzzy date (seeing how
the date is understood before saving), cite the evidence, edit the event with a reason, read the history diff,
upload a document and cite it, and export the PDF of the timeline's view."""

import re

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Document, Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url):
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("paralegal")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()


def test_paralegal_day(page, live_server, screenshot, tmp_path):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    log_in(page, base)
    screenshot(page, "matters")

    # Open the demo matter: its events in order, with the visual timeline above them.
    page.get_by_role("link", name="Premium User v. LinkedIn").click()
    expect(page.get_by_role("heading", name="Premium User v. LinkedIn")).to_be_visible()
    expect(page.locator("#grid tbody tr[data-id]")).to_have_count(Event.objects.count())
    screenshot(page, "timeline")

    # Add an event with a fuzzy date; the form says how the date is read before anything is saved.
    page.get_by_role("link", name="Add event").click()
    page.get_by_label("Date (as known)").fill("c. Sept 2024")
    expect(page.locator("#date-preview")).to_have_text("Understood as: c. Sept 2024 (month, approximate)")
    page.get_by_label("Date (as known)").fill("Sept 31 2024")
    expect(page.locator("#date-preview")).to_contain_text("31")  # the error, as the server words it
    page.get_by_label("Date (as known)").fill("c. Sept 2024")
    expect(page.locator("#date-preview")).to_have_text("Understood as: c. Sept 2024 (month, approximate)")
    page.get_by_label("Title").fill("LinkedIn updates its generative-AI FAQ")
    page.get_by_label("Kind").select_option(label="FAQ / help-page edit")
    page.get_by_label("Status").select_option(label="Disputed")
    page.get_by_label("Key fact").check()
    page.get_by_label("Actors").fill("LinkedIn; Trust & Safety team")
    page.get_by_label("Issues").fill("AI training")
    page.get_by_label("Document, citation 1").select_option(index=1)
    page.get_by_label("Pinpoint, citation 1").fill("¶ 4")
    screenshot(page, "event-form")
    page.get_by_role("button", name="Add event", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Event added: c. Sept 2024")
    expect(page.get_by_role("heading", level=1)).to_contain_text("LinkedIn updates its generative-AI FAQ")
    expect(page.locator(".citations-list")).to_contain_text("PX-1 ¶ 4")

    # Edit it: the reason is asked for, and kept.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("LinkedIn quietly updates its generative-AI FAQ")
    page.get_by_label("Date (as known)").fill("Sept 18, 2024")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#id_reason_error")).to_be_visible()  # no reason, no save
    page.get_by_label("Reason for change").fill("date and wording from the FAQ's archived copy")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Event saved (version 2)")

    # The history: who, why, and field by field what changed.
    history = page.locator(".versions > li").first
    expect(history).to_contain_text("paralegal")
    expect(history).to_contain_text("date and wording from the FAQ's archived copy")
    date_row = history.get_by_role("row", name=re.compile(r"^Date "))
    expect(date_row.locator("del")).to_have_text("c. Sept 2024")
    expect(date_row.locator("ins")).to_have_text("Sept 18, 2024")
    expect(history.get_by_role("row", name=re.compile(r"^Title ")).locator("ins")).to_have_text(
        "LinkedIn quietly updates its generative-AI FAQ"
    )
    screenshot(page, "event-detail")

    # Restore the first version: a new version, the old one's fields back (confirmed, with a reason).
    page.get_by_role("link", name="Restore version 1").click()
    page.get_by_label("Reason").fill("the first wording is the FAQ's")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 restored as version 3")
    expect(page.locator(".event-date")).to_have_text("c. Sept 2024")

    # Back on the timeline the event sits in September, marked key and disputed.
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Timeline").click()
    row = page.locator("tr", has_text="LinkedIn updates its generative-AI FAQ")
    expect(row.locator("td.c-date")).to_have_text("c. Sept 2024")
    expect(row.locator("td.c-status")).to_have_text("Disputed")

    # Upload a new piece of evidence (the documents page) and cite it from the event.
    event = Event.objects.get(title="LinkedIn updates its generative-AI FAQ")
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Documents").click()
    page.get_by_role("link", name=re.compile("Upload")).first.click()
    archived = tmp_path / "faq-archive-2024-09-18.txt"
    archived.write_text("Archived copy of the LinkedIn generative-AI FAQ, Sept 18, 2024: users may opt out.")
    page.get_by_label("Files to upload").set_input_files(str(archived))
    stored = f"PX-{Document.objects.filter(matter=event.matter).count() + 1}"  # after the demo's article and sources
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text(f"{stored} stored")).to_be_visible()
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Documents").click()
    expect(page.locator("body")).to_contain_text("faq-archive-2024-09-18.txt")
    screenshot(page, "document-list")

    page.goto(f"{base}/m/linkedin-ai-training/events/{event.pk}/edit")
    uploaded = Document.objects.get(matter=event.matter, exhibit_number=int(stored.removeprefix("PX-")))
    page.get_by_label("Document, citation 2").select_option(label=f"{stored} {uploaded.title}")
    page.get_by_label("Pinpoint, citation 2").fill("p. 1")
    page.get_by_label("Reason for change").fill("cite the archived FAQ")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".citations-list")).to_contain_text(f"{stored} p. 1")
    expect(page.locator(".citation-history")).to_contain_text(f"cited {stored} p. 1 — “cite the archived FAQ”")

    # Export the key facts as the court-ready PDF, starting from the filtered timeline.
    page.goto(f"{base}/m/linkedin-ai-training/?key=on")
    expect(page.locator("#grid tbody tr[data-id]")).to_have_count(Event.objects.filter(is_key=True).count())
    page.get_by_role("link", name="Export this view").click()
    expect(page.get_by_role("heading", name="Export the chronology")).to_be_visible()
    screenshot(page, "export")
    page.get_by_role("button", name="Export", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download ")).click()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(download_info.value.path()).pages)
    assert "Chronology of Events" in text
    assert "LinkedIn updates its generative-AI FAQ" in text.replace("\n", " ")  # the key fact added today
    assert "DMR News reports the lawsuit" not in text  # not a key fact: filtered out as on the timeline


def test_two_people_edit_one_event(page, live_server, screenshot, browser):
    """The second save is told the event changed meanwhile and shown the difference; nothing is overwritten."""
    call_command("load_demo", verbosity=0)
    base = live_server.url
    event = Event.objects.get(external_id="demo-setting")
    edit_url = f"{base}/m/linkedin-ai-training/events/{event.pk}/edit"

    log_in(page, base)
    page.goto(edit_url)  # the paralegal opens the form ...
    colleague = browser.new_context(viewport={"width": 1280, "height": 800})
    other = colleague.new_page()
    log_in(other, base)
    other.goto(edit_url)  # ... and so does a colleague (the same account here), who saves first
    other.get_by_label("Status").select_option(label="Undisputed")
    other.get_by_label("Reason for change").fill("LinkedIn's answer admits the setting")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_role("status")).to_contain_text("Event saved (version 2)")
    colleague.close()

    page.get_by_label("Date (as known)").fill("Aug 15, 2024")
    page.get_by_label("Reason for change").fill("exact date from the help page")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("changed by someone else")
    conflict = page.locator(".conflict")
    expect(conflict.get_by_role("row", name=re.compile(r"^Status "))).to_contain_text("changed by them")
    expect(conflict.get_by_role("row", name=re.compile(r"^Date "))).to_contain_text("changed by you")
    expect(page.get_by_label("Date (as known)")).to_have_value("Aug 15, 2024")  # the input is kept
    event.refresh_from_db()
    assert event.version == 2 and event.status == "undisputed" and event.date_display == "Aug 2024"
    screenshot(page, "event-conflict")

    # Taking their status, and saving again on top of their version.
    page.get_by_label("Status").select_option(label="Undisputed")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Event saved (version 3)")
    event.refresh_from_db()
    assert event.status == "undisputed" and event.date_display == "Aug 15, 2024"
