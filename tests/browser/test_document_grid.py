"""The documents page as a grid in a real browser at 1366×768, driven with the keyboard: one line per document,
sorted from the headings (exhibit numbers as numbers), a document opened from its row, and the columns chosen
remembered for the user."""

import re

import pytest
from playwright.sync_api import expect

from evidence.models import Document, GridSettings
from tests import factories
from tests.browser.test_grid import SLUG, load_demo, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLOW = 20_000  # two shared cores: a page can take longer than Playwright's 5 s default
ROWS = "#grid tbody tr[data-id]"


@pytest.fixture
def filed(live_server):
    """The demo matter's exhibits with 40 member notices after them."""
    matter, user = load_demo()
    for n in range(40):
        factories.make_document(matter, user=user, title=f"Member notice e-mail {n:02}", content=b"x" * (n * 37 + 1),
                                filename=f"notice{n}.txt", author="LinkedIn Privacy Team" if n % 3 else "")  # fmt: skip
    return matter


def exhibits(page) -> list[str]:
    return page.locator(f"{ROWS} td.exhibit").all_inner_texts()


def test_the_documents_grid_by_keyboard(page, live_server, filed, screenshot):
    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/documents/")
    total = Document.objects.filter(matter=filed).count()
    expect(page.locator(ROWS)).to_have_count(total, timeout=SLOW)
    on_screen = page.evaluate(
        """() => [...document.querySelectorAll('#grid tbody tr[data-id]')].filter(r => {
               const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }).length"""
    )
    assert 25 <= on_screen <= 40
    assert exhibits(page)[:11] == [f"PX-{n}" for n in range(1, 12)]  # PX-10 after PX-9, not after PX-1
    screenshot(page, "documents-grid", full_page=False)

    # Up to the headings and along to "Exhibit": Enter reverses the order, by number.
    page.locator(f"{ROWS} td.exhibit").first.click()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#grid th[data-col=exhibit]")).to_be_focused(timeout=SLOW)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=-exhibit"), timeout=SLOW)
    expect(page.locator(f"{ROWS} td.exhibit").first).to_have_text(f"PX-{total}", timeout=SLOW)
    assert exhibits(page)[:3] == [f"PX-{total}", f"PX-{total - 1}", f"PX-{total - 2}"]
    # To "Size" (Exhibit, Title, Date, Author, Type, Size): largest first after two presses.
    page.locator("#grid td.exhibit").first.focus()
    for key in ("ArrowUp", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight", "Enter"):
        page.keyboard.press(key)
    expect(page).to_have_url(re.compile(r"sort=size"), timeout=SLOW)
    expect(page.locator("#grid th[data-col=size]")).to_have_attribute("aria-sort", "ascending", timeout=SLOW)
    smallest = Document.objects.filter(matter=filed).order_by("size", "exhibit_number").first()
    assert exhibits(page)[0] == smallest.exhibit_label
    # The header stays in view as the rows scroll under it.
    page.mouse.wheel(0, 500)
    header = page.locator("#grid thead th[data-col=title]")
    expect(header).to_be_in_viewport(timeout=SLOW)

    # A row's document opens with "o"; Back comes to the grid.
    page.locator(f"{ROWS} td.exhibit").nth(2).focus()
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"), timeout=SLOW)
    page.go_back()
    expect(page.locator(ROWS)).to_have_count(total, timeout=SLOW)

    # The column chooser: Author hidden at once, and still hidden on the next visit (remembered for this user).
    page.locator("#column-chooser summary").click()
    with page.expect_response(lambda r: r.url.endswith("/grid/settings"), timeout=SLOW) as saved:
        page.get_by_role("checkbox", name="Author").uncheck()
    assert saved.value.ok
    expect(page.locator("#grid th[data-col=author]")).to_be_hidden(timeout=SLOW)
    page.goto(f"{base}/m/{SLUG}/documents/")
    expect(page.locator("#grid th[data-col=author]")).to_be_hidden(timeout=SLOW)
    expect(page.locator("#grid th[data-col=cited]")).to_be_visible(timeout=SLOW)
    assert "author" not in GridSettings.objects.get(user__username="paralegal").document_columns

    # The detailed list stays one click away.
    page.get_by_role("button", name="Detailed list").click()
    expect(page.locator("table.documents")).to_be_visible(timeout=SLOW)
    expect(page.locator("#grid")).to_have_count(0, timeout=SLOW)
