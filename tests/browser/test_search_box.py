"""The search box in a real browser: type a query, see the results ranked with where each matched, highlighted."""

import os

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.search.conftest import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(db):
    user = get_user_model().objects.create_user("pat", password="pat-password")
    return Case(factories.make_matter(owner=user, short_title="Premium User v. LinkedIn"), user)


def log_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("pat-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()


def searched(page, query: str):
    box = page.get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")
    expect(box).to_have_value(query)
    return page.locator("#grid tbody tr[id^=event-], table.timeline tbody tr[id^=event-]")  # the grid, or the cards


def test_type_in_the_search_box_and_see_where_it_matched(page, live_server, case, screenshot):
    log_in(page, live_server.url)
    page.get_by_role("link", name="Premium User v. LinkedIn").click()

    rows = searched(page, "zeppelin")  # a word only the cited PDF holds, on its third page
    expect(rows).to_have_count(1)
    shown = rows.first.locator(".snippet")
    expect(shown).to_contain_text("page 3 of PX-2: Section three: members' data may train a zeppelin")
    expect(rows.first.locator(".snippet mark")).to_have_text("zeppelin")

    rows = searched(page, "PX-2")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".title")).to_have_text("Privacy policy amended")
    expect(rows.first.locator(".snippet mark")).to_have_text("PX-2")

    rows = searched(page, "opt-out")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".snippet")).to_have_text("issue: opt-out")

    rows = searched(page, '"privacy setting"')
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".title")).to_have_text("Complaint filed")
    expect(rows.first.locator(".snippet")).to_contain_text("The privacy setting was on by default")
    expect(rows.first.locator(".snippet mark").first).to_contain_text("privacy")  # one mark or two: as the engine marks

    rows = searched(page, "consent OR zeppelin OR LI-000105")
    expect(rows).to_have_count(3)
    expect(page.locator(".count")).to_contain_text("Best matches first")
    expect(rows.first.locator(".title")).to_have_text("Spokesperson denies the claims")  # in its own words
    expect(rows.nth(1).locator(".snippet")).to_contain_text("page 3 of PX-2")  # in a cited document's text
    screenshot(page, "search")
    if os.environ.get("SEARCH_SHOTS"):
        page.screenshot(path=os.environ["SEARCH_SHOTS"] + "/timeline-search.png", full_page=True)

    page.get_by_role("link", name="Documents").first.click()
    box = page.get_by_role("searchbox", name="Search")
    box.fill("zeppelin OR LI-000105")
    box.press("Enter")
    docs = page.locator("#grid tbody tr")  # the documents grid, the page as it opens
    expect(docs).to_have_count(2)
    expect(page.locator("#grid .snippet")).to_contain_text(["page 3 of PX-2", "page 2 of PX-3"])
    screenshot(page, "documents-search")
    if os.environ.get("SEARCH_SHOTS"):
        page.screenshot(path=os.environ["SEARCH_SHOTS"] + "/documents-search.png", full_page=True)
