"""The timeline grid in a real browser at 1366×768, driven with the keyboard as a paralegal would: rows on screen,
sort by a heading, edit a cell (Enter saves, Escape cancels) under the standing "working on" reason, a cell changed
by someone else meanwhile, bulk-tag 50 events with one reason, undo, and the help overlay."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Actor, BulkEdit, Event, Matter, Role
from evidence.services.events import event_create
from evidence.services.grid import grid_settings_update
from evidence.services.matters import membership_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The whole suite runs on two shared cores: a save of 50 events can take longer than Playwright's 5 s default. Each
# expect here says so itself (expect.set_options would change the default for every later test of the worker).
SLOW = 20_000

SLUG = "linkedin-ai-training"
ROWS = "#grid tbody tr[data-id]"


@pytest.fixture
def laptop(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def load_demo():
    """The demo matter, and its paralegal."""
    call_command("load_demo", verbosity=0)
    return Matter.objects.get(slug=SLUG), get_user_model().objects.get(username="paralegal")


def demo_with_notices(count: int, title: str, **fields):
    """The demo matter with `count` member notices in October 2024, each titled `title` formatted with its number,
    and the paralegal who logged them."""
    matter, user = load_demo()
    for i in range(count):
        event_create(matter=matter, user=user, date=f"Oct {1 + i % 28}, 2024", title=title.format(i),
                     reason="loaded for the test", kind="user_communication", **fields)  # fmt: skip
    return matter, user


@pytest.fixture
def demo(live_server):
    matter, user = demo_with_notices(50, "Member notice batch {:02}", actors=["LinkedIn"])
    colleague = get_user_model().objects.create_user("colleague", password="demo-password")
    membership_set(matter=matter, user=user, member=colleague, role=Role.EDITOR, reason="a second editor")
    grid_settings_update(user=colleague, matter=matter, working_on="checking statuses against the exhibits")
    return matter


def log_in(page, base, username="paralegal"):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible(timeout=SLOW)


def rows_on_screen(page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll('#grid tbody tr[data-id]')].filter(r => {
               const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }).length"""
    )


def open_visual_timeline(page, base):
    """The demo's timeline page with its visual timeline opened on every dated event: the timeline's caption."""
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/")
    page.get_by_text("Visual timeline of the 57 events listed").click()
    caption = page.locator("#visual .caption")
    expect(caption).to_contain_text("Drawn: 55 of the 57 events the filters keep", timeout=SLOW)  # two are undated
    return caption


def key(page, *keys):
    for k in keys:
        page.keyboard.press(k)


def test_the_grid_by_keyboard(laptop, browser, live_server, demo, screenshot):
    page = laptop
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/")
    expect(page.locator(ROWS)).to_have_count(57, timeout=SLOW)
    assert 25 <= rows_on_screen(page) <= 40
    screenshot(page, "grid", full_page=False)

    # The help overlay lists the shortcuts; Escape closes it.
    key(page, "?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible(timeout=SLOW)
    key(page, "Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden(timeout=SLOW)

    # Sort: from the grid up to the headings, Enter on "Date" reverses the chronology; the latest event comes first.
    key(page, "g")
    expect(page.locator("#grid td.c-date").first).to_be_focused(timeout=SLOW)
    key(page, "ArrowUp", "Enter")
    expect(page).to_have_url(re.compile(r"sort=-date"), timeout=SLOW)
    expect(page.locator("#grid th[data-col=date]")).to_have_attribute("aria-sort", "descending", timeout=SLOW)
    latest = Event.objects.filter(matter=demo).order_by("-date_sort", "-order", "-id").first()
    expect(page.locator(ROWS).first.locator("td.c-title")).to_have_text(latest.title, timeout=SLOW)
    # Enter on "Event" sorts by title.
    key(page, "g", "ArrowUp", "ArrowRight", "Enter")
    expect(page).to_have_url(re.compile(r"sort=title"), timeout=SLOW)
    first_titles = page.locator(f"{ROWS} td.c-title").all_inner_texts()
    assert first_titles == sorted(first_titles, key=str.casefold)
    page.goto(f"{base}/m/{SLUG}/")

    # A quick edit asks for the standing reason first ("w" goes to it), then saves with it.
    key(page, "g", "ArrowRight", "Enter")
    expect(page.locator("#grid-status")).to_contain_text("Say what you are working on first", timeout=SLOW)
    expect(page.get_by_label("Working on")).to_be_focused(timeout=SLOW)
    page.keyboard.type("entering facts from the complaint")
    key(page, "Enter")  # set it; the cell's editor opens where the paralegal was
    editor = page.locator("#grid .cell-editor")
    expect(editor).to_be_focused(timeout=SLOW)
    first = Event.objects.get(pk=int(page.locator(ROWS).first.get_attribute("data-id")))
    page.keyboard.press("Control+A")
    page.keyboard.type("LinkedIn introduces the data-sharing setting")
    key(page, "Enter")
    title_cell = page.locator(ROWS).first.locator("td.c-title")
    expect(title_cell).to_have_text("LinkedIn introduces the data-sharing setting", timeout=SLOW)
    expect(page.locator("#grid-status")).to_contain_text("Saved (version 2)", timeout=SLOW)
    first.refresh_from_db()
    assert first.title == "LinkedIn introduces the data-sharing setting" and first.version == 2
    assert first.history.latest().history_change_reason == "entering facts from the complaint"

    # Escape cancels: nothing saved, the cell as it was.
    key(page, "Enter")
    page.keyboard.type(" (draft)")
    key(page, "Escape")
    expect(title_cell).to_have_text("LinkedIn introduces the data-sharing setting", timeout=SLOW)
    first.refresh_from_db()
    assert first.version == 2

    # The date cell shows the date as understood before it is saved.
    key(page, "ArrowLeft", "Enter")
    page.keyboard.press("Control+A")
    page.keyboard.type("c. Aug 2024")
    expect(page.locator("#grid .cell-preview")).to_have_text(
        "Understood as: c. Aug 2024 (month, approximate)", timeout=SLOW
    )
    key(page, "Escape")

    # Toggle the key-fact flag with "*", twice.
    second = page.locator(ROWS).nth(1)
    was_key = second.locator("td.c-key").get_attribute("data-value") == "yes"
    key(page, "ArrowDown", "*")
    expect(second.locator("td.c-key")).to_have_text("" if was_key else "★", timeout=SLOW)
    expect(page.locator("#grid-status")).to_contain_text("Saved", timeout=SLOW)
    key(page, "*")
    expect(second.locator("td.c-key")).to_have_text("★" if was_key else "", timeout=SLOW)
    expect(second).to_have_class(re.compile(r"\bkey\b") if was_key else re.compile(r"^(?!.*\bkey\b)"), timeout=SLOW)
    expect(page.locator("#grid-status")).to_contain_text("(version 3)", timeout=SLOW)

    # A colleague, in their own browser, changes the third row's status; the paralegal's edit of the same cell is
    # refused and shows the colleague's value.
    third = page.locator(ROWS).nth(2)
    theirs = Event.objects.get(pk=int(third.get_attribute("data-id")))
    others = [s for s in ("undisputed", "disputed", "unverified") if s != theirs.status]
    other = browser.new_context(viewport={"width": 1366, "height": 768})
    colleague_page = other.new_page()
    log_in(colleague_page, base, username="colleague")
    colleague_page.goto(f"{base}/m/{SLUG}/")
    colleague_page.locator(f"#event-{theirs.pk} td.c-status").dblclick()
    colleague_page.locator("#grid .cell-editor").select_option(others[0])
    colleague_page.keyboard.press("Enter")
    expect(colleague_page.locator("#grid-status")).to_contain_text("Saved (version 2)", timeout=SLOW)
    other.close()
    key(page, "ArrowDown", "ArrowRight", "ArrowRight", "ArrowRight", "Enter")  # date → title → kind → status
    page.locator("#grid .cell-editor").select_option(others[1])
    key(page, "Enter")
    expect(page.locator("#grid-status")).to_contain_text("changed by someone else", timeout=SLOW)
    expect(third.locator("td.c-status")).to_have_text(others[0].capitalize(), timeout=SLOW)
    theirs.refresh_from_db()
    assert theirs.status == others[0] and theirs.version == 2
    assert theirs.history.latest().history_change_reason == "checking statuses against the exhibits"

    # Bulk: the 50 notices, selected with the keyboard, tagged with one issue and one reason.
    key(page, "/")
    page.keyboard.type("Member notice batch")
    key(page, "Enter")
    expect(page.locator(ROWS)).to_have_count(50, timeout=SLOW)
    page.wait_for_load_state("load")  # the rows are there before the grid's script has run
    key(page, "g", "X")
    expect(page.locator("#bulk-count")).to_have_text("50 selected", timeout=SLOW)
    key(page, "b")
    expect(page.locator("#bulk-action")).to_be_focused(timeout=SLOW)
    page.locator("#bulk-action").select_option(label="Add issue")
    key(page, "Tab")
    page.keyboard.type("Notice to members")
    reason = page.get_by_label("Reason", exact=True)
    reason.fill("issue review of the member notices")
    screenshot(page, "bulk-edit", full_page=False)
    key(page, "Enter")
    expect(page.get_by_role("status").first).to_contain_text(
        "Added issue “Notice to members”: 50 of 50 events changed, "
        "with the reason “issue review of the member notices”",
        timeout=SLOW,
    )
    tagged = Event.objects.filter(issues__name="Notice to members")
    assert tagged.count() == 50
    for event in tagged:
        latest = event.history.latest()
        assert latest.history_change_reason == "issue review of the member notices" and latest.version == 2
    expect(page.locator(f"{ROWS} td.c-issues").first).to_have_text("Notice to members", timeout=SLOW)

    # Undo, with the keyboard: every one of the 50 back to its previous version.
    undo = page.get_by_role("button", name="Undo")
    undo.focus()
    key(page, "Enter")
    expect(page.get_by_role("status").first).to_contain_text("Undone: 50 events restored", timeout=SLOW)
    assert not Event.objects.filter(issues__name="Notice to members").exists()
    assert BulkEdit.objects.get().undone_at is not None
    expect(page.locator(f"{ROWS} td.c-issues").first).to_have_text("", timeout=SLOW)

    # The event's page shows every change with its reason.
    page.goto(f"{base}/m/{SLUG}/events/{tagged.model.objects.filter(title='Member notice batch 00').get().pk}/")
    versions = page.locator(".versions > li")
    expect(versions).to_have_count(3, timeout=SLOW)
    expect(versions.first).to_contain_text("undo of: Added issue “Notice to members”", timeout=SLOW)
    expect(versions.nth(1)).to_contain_text("issue review of the member notices", timeout=SLOW)


def test_add_another_keeps_the_source_and_citation_rows_are_added_without_saving(laptop, live_server, demo):
    page = laptop
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/events/new")
    page.get_by_label("Date (as known)").fill("Sept 2024")
    page.get_by_label("Title").fill("A first notice")
    page.get_by_label("Kind").select_option(label="User communication")
    page.get_by_label("Actors").fill("LinkedIn")
    page.get_by_label("Document, citation 1").select_option(index=1)
    # A third, fourth and fifth citation row, with the keyboard, before anything is saved.
    add = page.get_by_role("button", name="Add a citation row")
    for _ in range(3):
        add.focus()
        page.keyboard.press("Enter")
    expect(page.get_by_label("Document, citation 5")).to_be_focused(timeout=SLOW)
    page.get_by_label("Document, citation 5").select_option(index=1)
    page.get_by_label("Pinpoint, citation 5").fill("¶ 9")
    page.get_by_role("button", name="Add and start another").click()
    expect(page.get_by_role("status")).to_contain_text("Event added: Sept 2024 — A first notice", timeout=SLOW)
    first = Event.objects.get(title="A first notice")
    assert sorted(c.pinpoint for c in first.citations.all()) == ["", "¶ 9"]
    # The next form starts with the same kind, actors and source.
    expect(page.get_by_label("Kind")).to_have_value("user_communication", timeout=SLOW)
    expect(page.get_by_label("Actors")).to_have_value("LinkedIn", timeout=SLOW)
    expect(page.get_by_label("Document, citation 1")).to_have_value(
        str(first.citations.first().document_id), timeout=SLOW
    )
    expect(page.get_by_label("Title")).to_have_value("", timeout=SLOW)


def test_save_a_view_and_open_it_again(laptop, live_server, demo):
    page = laptop
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/?q=Member+notice&sort=-date")
    expect(page.locator(ROWS)).to_have_count(50, timeout=SLOW)
    page.locator("#column-chooser summary").click()
    page.get_by_label("Comfortable: whole cells, wrapped").check()
    page.get_by_role("checkbox", name="Kind").uncheck()
    expect(page.locator("#grid th[data-col=kind]")).to_be_hidden(timeout=SLOW)
    page.locator("#saved-views summary").click()
    page.get_by_label("Save this view as").fill("Member notices, latest first")
    page.get_by_label("Shared with the matter").check()
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Saved the view “Member notices, latest first” and shared it with the matter.", timeout=SLOW
    )
    # The plain timeline, then the view again from the menu: its filters, sort, columns and density.
    page.goto(f"{base}/m/{SLUG}/")
    expect(page.locator(ROWS)).to_have_count(57, timeout=SLOW)
    page.locator("#saved-views summary").click()
    page.get_by_role("link", name="Member notices, latest first").click()
    expect(page).to_have_url(re.compile(r"\?q=Member\+notice&sort=-date&view=\d+$"), timeout=SLOW)
    expect(page.locator(ROWS)).to_have_count(50, timeout=SLOW)
    expect(page.locator(ROWS).first.locator("td.c-title a.title")).to_have_text(
        "Member notice batch 27", timeout=SLOW
    )  # Oct 28
    expect(page.locator("#grid th[data-col=kind]")).to_be_hidden(timeout=SLOW)
    expect(page.locator("#grid")).to_have_class(re.compile("density-comfortable"), timeout=SLOW)
    expect(page.get_by_role("link", name="Export this view")).to_have_attribute(
        "href", re.compile(r"q=Member"), timeout=SLOW
    )


def test_a_date_refused_by_the_server_is_said_once(laptop, live_server, demo):
    page = laptop
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/m/{SLUG}/events/new")
    page.get_by_label("Date (as known)").fill("Sept 31 2024")
    page.get_by_label("Title").fill("A date that does not exist")
    page.get_by_role("button", name="Add event", exact=True).click()
    expect(page.locator(".field.has-error p.error")).to_contain_text("31", timeout=SLOW)
    page.wait_for_load_state("networkidle")  # the preview has asked the server, and stayed quiet
    expect(page.locator("#date-preview")).to_have_text("", timeout=SLOW)
    # Typed again, the preview takes over and the server's message goes.
    page.get_by_label("Date (as known)").fill("Sept 30 2024")
    expect(page.locator("#date-preview")).to_contain_text("Understood as: Sept 30, 2024", timeout=SLOW)
    expect(page.locator(".field.has-error p.error")).to_have_count(0, timeout=SLOW)


def test_merge_two_actors_on_the_people_page(laptop, live_server, demo, screenshot):
    page = laptop
    base = live_server.url
    log_in(page, base)
    user = get_user_model().objects.get(username="paralegal")
    for i in range(3):
        event_create(matter=demo, user=user, date="Jan 2025", title=f"Statement {i}", reason="loaded for the test",
                     actors=["Linkedin Corporation"])  # fmt: skip
    page.goto(f"{base}/m/{SLUG}/")
    page.get_by_role("navigation", name="Matter").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible(timeout=SLOW)
    duplicate = Actor.objects.get(matter=demo, name="Linkedin Corporation")
    row = page.locator(f"#actor-{duplicate.pk}")
    row.locator("summary", has_text="Merge").click()
    row.get_by_label("Merge into").select_option(label="LinkedIn")
    row.get_by_role("textbox", name="Reason").fill("the same company, as the complaint names it")  # the open form's
    screenshot(page, "people", full_page=False)
    row.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Merged “Linkedin Corporation” into “LinkedIn”: 3 events changed, each as a new version", timeout=SLOW
    )
    expect(page.locator(f"#actor-{duplicate.pk}")).to_contain_text("Retired", timeout=SLOW)
    statement = Event.objects.get(title="Statement 0")
    assert [a.name for a in statement.actors.all()] == ["LinkedIn"]
    # The event's history shows the change with its reason.
    page.goto(f"{base}/m/{SLUG}/events/{statement.pk}/")
    expect(page.locator(".versions > li").first).to_contain_text(
        "the same company, as the complaint names it", timeout=SLOW
    )


def test_the_visual_timeline_zooms_and_a_group_opens_its_period(laptop, live_server, demo, screenshot):
    page = laptop
    base = live_server.url
    caption = open_visual_timeline(page, base)
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.focus()
    page.keyboard.press("Enter")
    expect(caption).to_contain_text("that may fall between", timeout=SLOW)
    page.keyboard.press("Enter")
    expect(page.locator("#visual .visual-frame")).not_to_have_attribute("data-first", "", timeout=SLOW)
    screenshot(page, "timeline-zoomed", full_page=False)
    # "Earlier" moves the window back; "Whole span" returns to every event.
    first = page.locator("#visual .visual-frame").get_attribute("data-first")
    page.get_by_role("button", name="← Earlier").click()
    expect(page.locator("#visual .visual-frame")).not_to_have_attribute("data-first", first, timeout=SLOW)
    page.get_by_role("button", name="Whole span").click()
    expect(caption).to_contain_text("Drawn: 55 of the 57 events the filters keep", timeout=SLOW)
    # A numbered group opens the list filtered to its period, not one of its events.
    group = page.locator("#visual svg a", has=page.locator("text")).first
    group.click()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"), timeout=SLOW)
    expect(page.locator(ROWS).first).to_be_visible(timeout=SLOW)


@pytest.fixture
def crowded(live_server):
    """The demo matter with 120 member notices: more than a page of the grid."""
    matter, user = demo_with_notices(120, "Member notice {:03}")
    grid_settings_update(user=user, matter=matter, working_on="reviewing the member notices")
    return matter


def test_select_all_matching_events_across_pages_then_undo(laptop, live_server, crowded):
    page = laptop
    base = live_server.url
    log_in(page, base)
    page.goto(f'{base}/m/{SLUG}/?q="Member+notice"&sort=title')
    expect(page.locator(ROWS)).to_have_count(100, timeout=SLOW)
    expect(page.locator(".grid-bar .count")).to_contain_text("120 events matching", timeout=SLOW)
    # Every row of the page, with the keyboard; then the offer of every matching event, on both pages.
    key(page, "g", "X")
    expect(page.locator("#bulk-count")).to_have_text("100 selected", timeout=SLOW)
    offer = page.get_by_role("button", name="Select all 120 matching events")
    expect(offer).to_be_visible(timeout=SLOW)
    key(page, "b", "Shift+Tab")
    expect(offer).to_be_focused(timeout=SLOW)
    key(page, "Enter")
    expect(page.locator("#bulk-count")).to_have_text(
        "All 120 events matching the filters selected (on every page)", timeout=SLOW
    )
    apply = page.locator("#bulk-apply")
    expect(apply).to_have_text("Apply to all 120 events", timeout=SLOW)  # the count, before confirming
    page.locator("#bulk-action").select_option(label="Set key fact")
    page.get_by_label("Yes or no").select_option("yes")
    page.get_by_label("Reason", exact=True).focus()
    key(page, "Enter")
    expect(page.get_by_role("status").first).to_contain_text(
        "Marked as key facts: 120 of 120 events changed, with the reason “reviewing the member notices”",
        timeout=SLOW,
    )
    notices = Event.objects.filter(matter=crowded, title__startswith="Member notice")
    assert notices.filter(is_key=True).count() == 120
    assert {e.history.latest().history_change_reason for e in notices} == {"reviewing the member notices"}
    others = Event.objects.filter(matter=crowded).exclude(title__startswith="Member notice")
    assert not Event.history.filter(id__in=others.values("id"), history_change_reason="reviewing the member notices")
    # Undo: all 120 back to the version before.
    undo = page.get_by_role("button", name="Undo")
    undo.focus()
    key(page, "Enter")
    expect(page.get_by_role("status").first).to_contain_text("Undone: 120 events restored", timeout=SLOW)
    assert not notices.filter(is_key=True).exists()
    assert set(notices.values_list("version", flat=True)) == {3}


def test_the_range_brush_chooses_the_span_by_mouse_or_keyboard(laptop, live_server, demo, screenshot):
    page = laptop
    base = live_server.url
    caption = open_visual_timeline(page, base)
    brush = page.locator("#visual-brush")
    expect(brush).to_be_visible(timeout=SLOW)
    whole = page.locator("#visual-brush-range").inner_text()
    assert re.fullmatch(r"Span shown: (.+) – (.+), of \1 – \2\.", whole), whole  # the whole span, at first
    first = page.locator("#visual .visual-frame").get_attribute("data-first")
    last = page.locator("#visual .visual-frame").get_attribute("data-last")

    # Drag across the second half of the strip: that half is drawn, and the caption says which days.
    box = brush.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.95, y, steps=4)
    page.mouse.up()
    expect(caption).to_contain_text("that may fall between", timeout=SLOW)
    frame = page.locator("#visual .visual-frame")
    drawn_first, drawn_last = frame.get_attribute("data-first"), frame.get_attribute("data-last")
    assert first < drawn_first < drawn_last <= last
    expect(page.locator("#visual-brush-range")).not_to_have_text(whole, timeout=SLOW)
    expect(brush).to_be_focused(timeout=SLOW)
    screenshot(page, "timeline-brush", full_page=False)

    # The keyboard does the same on the strip: Home, the whole span; + zooms in; → moves later; − back out.
    page.keyboard.press("Home")
    expect(caption).to_contain_text("Drawn: 55 of the 57 events the filters keep", timeout=SLOW)
    page.keyboard.press("+")
    expect(caption).to_contain_text("that may fall between", timeout=SLOW)
    zoomed = frame.get_attribute("data-first")
    page.keyboard.press("ArrowRight")
    expect(frame).not_to_have_attribute("data-first", zoomed, timeout=SLOW)
    assert frame.get_attribute("data-last") <= last  # never past the whole span
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(caption).to_contain_text("Drawn: 55 of the 57 events the filters keep", timeout=SLOW)
