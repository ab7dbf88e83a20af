"""One submission, one event, in a real browser: the event form is submitted, Back brings it back as typed (the date
and its preview included), and submitting it again creates nothing and says which event was already saved."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Event
from tests.browser.test_paralegal_day import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Opt-out notice e-mailed to members"


def test_submitting_the_form_again_after_back_saves_one_event(page, live_server, screenshot):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()

    page.get_by_role("link", name="Add event").click()
    page.get_by_label("Date (as known)").fill("c. Sept 2024")
    expect(page.locator("#date-preview")).to_contain_text("Understood as: c. Sept 2024")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Add event", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Event added: c. Sept 2024 — {TITLE}")
    first = Event.objects.get(title=TITLE)

    # Back: the form comes back as it was typed, the date's preview reading the restored text.
    page.go_back()
    date = page.get_by_label("Date (as known)")
    expect(date).to_have_value("c. Sept 2024")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.locator("#date-preview")).to_contain_text("Understood as: c. Sept 2024")
    expect(page.get_by_role("button", name="Add event", exact=True)).to_be_enabled()

    page.get_by_role("button", name="Add event", exact=True).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("This event was already saved: c. Sept 2024 — " + TITLE)
    expect(status).to_contain_text("No second event was created.")
    assert Event.objects.filter(title=TITLE).count() == 1
    assert page.url.endswith(f"/events/{first.pk}/")
    screenshot(page, "event-already-saved", full_page=False)
    status.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)


def test_a_double_click_on_add_event_saves_one_event(page, live_server):
    call_command("load_demo", verbosity=0)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()
    page.get_by_role("link", name="Add event").click()
    page.get_by_label("Date (as known)").fill("Oct 2, 2024")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Add event", exact=True).dblclick()
    expect(page.get_by_role("status")).to_contain_text(TITLE)
    assert Event.objects.filter(title=TITLE).count() == 1
