"""The access log and an integrity failure, in a real browser: an owner opens and downloads evidence, a file is
changed on disk, verify_evidence finds it, the document page says so and the file is refused; the access log shows
who did what, and the navigation offers it to owners only."""

import re

import pytest
from django.core.management import CommandError, call_command
from playwright.sync_api import expect

from tests.factories import UserFactory, make_document, make_event, make_matter
from tests.storage import overwrite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()


def test_access_log_and_integrity_failure(page, live_server, screenshot, settings, tmp_path):
    owner, viewer = UserFactory(username="owner"), UserFactory(username="viewer")
    matter = make_matter(owner=owner, slug="doe-v-acme", short_title="Doe v. Acme", members={viewer: "viewer"})
    policy = make_document(matter, content=b"Privacy policy, version 2.\n" * 40, filename="privacy policy.txt")
    memo = make_document(matter, content=b"x" * 1200, filename="invoice\u202efdp.exe", title="Invoice memo")
    make_event(matter, title="Policy amended", date="Sept 2024")
    base = live_server.url

    log_in(page, base, "viewer")
    expect(page.get_by_role("navigation", name="Matter")).to_have_count(0)  # on the list of matters: no matter nav
    page.get_by_role("link", name="Doe v. Acme").click()
    expect(page.get_by_role("navigation", name="Matter").get_by_role("link", name="Access log")).to_have_count(0)
    page.goto(f"{base}/m/doe-v-acme/documents/{policy.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "PX-1_privacy_policy.txt"

    overwrite(memo.file.name, b"x" * 1234)  # changed on disk
    with pytest.raises(CommandError):
        call_command("verify_evidence", stdout=(tmp_path / "out").open("w"), stderr=(tmp_path / "err").open("w"))

    page.context.clear_cookies()
    log_in(page, base, "owner")
    page.goto(f"{base}/m/doe-v-acme/documents/{policy.pk}/")
    expect(page.locator("dl.meta")).to_contain_text(re.compile(r"SHA-256 verified on \w{3} \d+, \d{4}"))
    screenshot(page, "document-verified", full_page=False)
    page.goto(f"{base}/m/doe-v-acme/documents/{memo.pk}/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Integrity failure: size 1,234 bytes, expected 1,200")
    expect(page.locator("dl.meta")).to_contain_text("invoice[U+202E]fdp.exe")
    expect(page.get_by_role("link", name="Download")).to_have_count(0)
    screenshot(page, "document-integrity-failure")
    response = page.goto(f"{base}/m/doe-v-acme/documents/{memo.pk}/file")
    assert response.status == 409
    expect(page.get_by_role("heading", name="Integrity failure")).to_be_visible()
    screenshot(page, "document-integrity-failure-download")

    page.goto(f"{base}/m/doe-v-acme/documents/")
    expect(page.locator("tr", has_text="Invoice memo").locator(".badge.integrity-failed")).to_be_visible()

    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Export").click()
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Export", exact=True).click()
    with page.expect_download():
        page.get_by_role("link", name=re.compile(r"^Download ")).click()

    page.get_by_role("navigation", name="Matter").get_by_role("link", name="Access log").click()
    expect(page.get_by_role("heading", name=re.compile("^Access log"))).to_be_visible()
    rows = page.locator("table.access tbody tr")
    # Newest first: the owner's export download and export, two page views; the viewer's download and page view.
    expect(rows).to_have_count(6)
    expect(rows.nth(0)).to_contain_text("Downloaded export")
    expect(rows.nth(1)).to_contain_text("Exported chronology")
    expect(rows.nth(1)).to_contain_text("CSV")
    expect(rows.nth(4)).to_contain_text("Downloaded file")
    expect(rows.nth(4)).to_contain_text("PX-1_privacy_policy.txt")
    screenshot(page, "access-log-all")
    page.get_by_label("User").select_option(label="viewer")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(2)
    screenshot(page, "access-log")
