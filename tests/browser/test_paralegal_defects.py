"""What a paralegal met on a 1366×768 laptop, measured in a real browser: the upload page's running exhibit number
and its one link to an e-mail's proposal, filter groups and selects that show every choice whole, the admin's event
list inside the screen, the page actions in one place on every page, and the printed timeline without the screen's
navigation and filters."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Event, Matter
from tests.factories import make_matter
from tests.test_email_evidence import make_eml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "linkedin-ai-training"


@pytest.fixture
def laptop(page, live_server):
    """The paralegal, logged in to the demo matter, on a 1366×768 screen; the base URL."""
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("paralegal")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()
    return live_server.url


def test_upload_page_announces_the_next_exhibit_and_offers_a_proposal_once(page, laptop, tmp_path):
    page.goto(f"{laptop}/m/{SLUG}/documents/upload")
    expect(page.locator("#next-exhibit")).to_have_text("PX-2")
    eml = tmp_path / "optin.eml"
    eml.write_bytes(make_eml())  # the message and its attachment: PX-2 and PX-3
    page.get_by_label("Files to upload").set_input_files(str(eml))
    page.get_by_role("button", name="Upload", exact=True).click()
    results = page.locator("#upload-results")
    expect(results).to_contain_text("PX-3 stored: memo.pdf")
    expect(page.locator("#next-exhibit")).to_have_text("PX-4")
    expect(results.locator("a[href$='/email-event']")).to_have_count(1)
    expect(results.get_by_role("link", name="Review the proposed event")).to_be_visible()

    note = tmp_path / "note.txt"
    note.write_text("A note kept as evidence.")
    page.get_by_label("Files to upload").set_input_files(str(note))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(results).to_contain_text("PX-4 stored: note.txt")
    expect(page.locator("#next-exhibit")).to_have_text("PX-5")


def clipped_choices(page, selector):
    """The labels under `selector` that their scrolling box or fieldset does not show whole."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector + ' label')].filter(label => {
            const box = label.getBoundingClientRect();
            for (let up = label.parentElement; up; up = up.parentElement) {
                const style = getComputedStyle(up);
                if (style.overflowY !== 'visible' || style.overflowX !== 'visible' || up.tagName === 'FIELDSET') {
                    const frame = up.getBoundingClientRect();
                    if (box.top < frame.top - 1 || box.bottom > frame.bottom + 1 || box.left < frame.left - 1
                        || box.right > frame.right + 1) return true;
                }
            }
            return label.scrollWidth > label.clientWidth + 1;
        }).map(label => label.textContent.trim())""",
        selector,
    )


def test_filter_choices_show_whole_and_a_bad_date_keeps_the_bar(page, laptop):
    page.goto(f"{laptop}/m/{SLUG}/")
    page.get_by_text("More filters").click()
    groups = page.locator(".filter-groups")
    expect(groups.get_by_label("Court filing")).to_be_visible()
    expect(groups.get_by_label("opt-out")).to_be_visible()
    assert clipped_choices(page, ".filter-groups") == []

    search = page.get_by_role("searchbox", name="Search")
    row = page.locator("#filters .filter-row")
    width, height = search.bounding_box()["width"], row.bounding_box()["height"]
    assert width >= 160, f"the search box is {width}px wide"

    page.get_by_label("From").fill("Sept 31 2024")
    page.get_by_role("button", name="Filter").click()
    error = page.locator(".filter-error")
    expect(error).to_have_text(re.compile(r"^From: 'Sept 31 2024': September has 30 days in 2024 That filter is left"))
    expect(error).not_to_contain_text("saved")
    assert search.bounding_box()["width"] >= 160  # a "Clear" link now shares the line
    assert row.bounding_box()["height"] == pytest.approx(height, abs=2)  # the error is a line below, not in the row


def test_document_filter_selects_show_their_longest_choice(page, laptop):
    page.goto(f"{laptop}/m/{SLUG}/documents/")
    cut = page.evaluate(
        """() => {
            const probe = document.createElement('span');
            probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
            document.body.append(probe);
            return [...document.querySelectorAll('main select')].flatMap(select => {
                const style = getComputedStyle(select);
                probe.style.font = style.font;
                const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
                return [...select.options].filter(o => { probe.textContent = o.text; return probe.offsetWidth > room; })
                    .map(o => select.name + ': ' + o.text);
            });
        }"""
    )
    assert cut == []


def test_admin_event_list_fits_the_screen(page, laptop):
    def overflow():
        return page.evaluate(
            """() => { const box = document.querySelector('#changelist .results');
                return [document.scrollingElement.scrollWidth - innerWidth, box.scrollWidth - box.clientWidth]; }"""
        )

    page.goto(f"{laptop}/admin/evidence/event/")
    expect(page.locator("#result_list tbody tr")).to_have_count(Event.objects.count())
    assert overflow() == [0, 0]
    expect(page.locator("#result_list thead")).not_to_contain_text("Matter")  # the paralegal's one matter

    # With a second matter the column comes back, unless the list is of one matter.
    paralegal = get_user_model().objects.get(username="paralegal")
    make_matter(owner=paralegal, short_title="Doe v. Example Corporation of America, Inc.")
    page.reload()
    expect(page.locator("#result_list thead")).to_contain_text("Matter")
    matter = Matter.objects.get(slug=SLUG)
    page.goto(f"{laptop}/admin/evidence/event/?matter__id__exact={matter.pk}")
    assert overflow() == [0, 0]


def test_admin_import_pages_have_the_admins_breadcrumbs(page, laptop):
    def crumbs():
        return page.evaluate(
            """() => { const bar = document.querySelector('.breadcrumbs'); const style = getComputedStyle(bar);
                return [style.backgroundColor, style.color, bar.getBoundingClientRect().height > 20,
                        bar.textContent.replace(/\\s+/g, ' ').trim()]; }"""
        )

    page.goto(f"{laptop}/admin/evidence/event/")
    *look, _ = crumbs()
    for url, trail in [
        ("/admin/evidence/event/import/", "Home Case Timeline Events Import events"),
        ("/admin/evidence/document/import/", "Home Case Timeline Documents Import documents"),
    ]:
        page.goto(laptop + url)
        assert crumbs() == [*look, trail]


def test_no_page_asks_for_a_missing_file(page, laptop):
    missing = []
    page.on("requestfinished", lambda request: request.response().status >= 400 and missing.append(request.url))
    for url in ["/", f"/m/{SLUG}/", f"/m/{SLUG}/documents/", "/admin/", "/admin/evidence/event/"]:
        page.goto(laptop + url)
        page.wait_for_load_state("networkidle")
    assert missing == []
    assert page.goto(laptop + "/favicon.ico").ok  # asked for by whatever names no icon
