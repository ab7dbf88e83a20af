"""New actors typed in a real browser: the event form and the grid's actors cell offer person or organisation for
each name the matter does not have yet, set to the guess with its reason, and save the kind the paralegal left."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Actor, Event, Matter
from evidence.services.grid import grid_settings_update
from tests.browser.test_paralegal_day import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)


@pytest.fixture
def matter(live_server):
    call_command("load_demo", verbosity=0)
    return Matter.objects.get(slug="linkedin-ai-training")


def kind_of(matter, name):
    return Actor.objects.get(matter=matter, name=name).kind


def test_the_event_form_offers_the_kind_of_each_new_actor(page, live_server, matter, screenshot):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/m/{matter.slug}/events/new")
    page.get_by_label("Date (as known)").fill("Jan 2025")
    page.get_by_label("Title").fill("The FTC writes to LinkedIn")
    page.get_by_label("Actors").fill("LinkedIn; FTC; Jane Doe; Acme Widgets")
    new = page.locator("#new-actors")
    expect(new.locator("select")).to_have_count(3)  # LinkedIn is in the matter already
    expect(page.get_by_label("“FTC”")).to_have_value("organisation")
    expect(new).to_contain_text("Guessed organisation: “FTC” is an acronym in capitals.")
    expect(page.get_by_label("“Acme Widgets”")).to_have_value("person")
    page.get_by_label("“Acme Widgets”").select_option("organisation")
    page.get_by_label("Actors").press("End")
    page.get_by_label("Actors").type("; DMR News")  # the rows come back with the choice kept
    expect(new.locator("select")).to_have_count(3)
    expect(page.get_by_label("“Acme Widgets”")).to_have_value("organisation")
    new.scroll_into_view_if_needed()
    screenshot(page, "event-form-new-actors", full_page=False)
    page.get_by_role("button", name="Add event", exact=True).click()
    expect(page.locator("body")).to_contain_text(
        "New actors added to the matter: “FTC” (organisation); “Jane Doe” (person); “Acme Widgets” (organisation)."
    )
    assert [kind_of(matter, n) for n in ("FTC", "Jane Doe", "Acme Widgets")] == ["organisation", "person",
                                                                                 "organisation"]  # fmt: skip


def test_the_grid_actors_cell_offers_the_kind_of_each_new_actor(page, live_server, matter, screenshot):
    user = get_user_model().objects.get(username="paralegal")
    grid_settings_update(user=user, matter=matter, working_on="people review")
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/m/{matter.slug}/")
    row = page.locator("#grid tbody tr[data-id]").first
    event = Event.objects.get(pk=int(row.get_attribute("data-id")))
    row.locator("td.c-actors").dblclick()
    editor = page.locator("#grid .cell-editor")
    expect(editor).to_be_focused()
    editor.press("End")
    editor.type("; Acme Research Inc.")
    choice = page.get_by_label("New: “Acme Research Inc.” is")
    expect(choice).to_have_value("organisation")
    expect(row.locator(".cell-new-actors")).to_contain_text("the name ends in “Inc.”")
    screenshot(page, "grid-new-actor", full_page=False)
    choice.select_option("person")
    choice.press("Enter")
    expect(page.locator("#grid-status")).to_contain_text(re.compile(r"new actor “Acme Research Inc.” \(person\)"))
    assert kind_of(matter, "Acme Research Inc.") == "person"
    assert "Acme Research Inc." in [a.name for a in Event.objects.get(pk=event.pk).actors.all()]
