"""In a real browser, with the Content-Security-Policy on: the main pages and the admin load without one violation
and their scripts still work; two-factor login from enrolment to the code step; the members page with an invitation.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from evidence.models import Event, Job, Matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "linkedin-ai-training"


@pytest.fixture
def violations(page):
    """Every console message and page error that speaks of the Content-Security-Policy, as the page runs."""
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def log_in(page, base, username="paralegal", password="demo-password"):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_pages_and_their_scripts_work_under_the_policy(page, live_server, violations, tmp_path, screenshot):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    log_in(page, base)
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()

    response = page.goto(f"{base}/m/{SLUG}/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Visual timeline of").click()  # fetched by static/js/grid.js when opened
    expect(page.locator("#visual svg.timeline")).to_be_visible()

    # The event form's date preview (static/js/event-form.js) answers as the date is typed.
    page.goto(f"{base}/m/{SLUG}/events/new")
    page.get_by_label("Date (as known)").fill("c. Sept 2024")
    expect(page.locator("#date-preview")).to_have_text("Understood as: c. Sept 2024 (month, approximate)")

    # The upload page's script sends the files itself and lists the result.
    page.goto(f"{base}/m/{SLUG}/documents/upload")
    note = tmp_path / "note.txt"
    note.write_text("A note for the file.")
    page.get_by_label("Files to upload").set_input_files(str(note))
    expect(page.locator("#file-list")).to_contain_text("note.txt")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#upload-results")).to_contain_text("stored")

    # A document's page frames its PDF from the same origin.
    page.goto(f"{base}/m/{SLUG}/documents/")
    page.locator("#grid a.title").first.click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()

    # The export page, and a job page whose script polls the job until it ends.
    page.goto(f"{base}/m/{SLUG}/export")
    expect(page.get_by_role("heading", name="Export the chronology")).to_be_visible()
    matter = Matter.objects.get(slug=SLUG)
    job = Job.objects.create(matter=matter, kind=Job.Kind.EXPORT, state=Job.State.RUNNING, total=10)
    page.goto(f"{base}/m/{SLUG}/export/jobs/{job.pk}")
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, message="stopped by the test")
    expect(page.locator("#job-message")).to_have_text("The export failed: stopped by the test", timeout=10_000)

    assert violations == []


def test_the_admin_works_under_the_policy(page, live_server, violations):
    call_command("load_demo", verbosity=0)
    get_user_model().objects.create_superuser("root", "root@firm.example", "root-password")
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("root-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(base + "/admin/evidence/event/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator("#action-toggle").check()  # the changelist's own script selects every row
    expect(page.locator(".action-counter")).to_contain_text(f"{Event.objects.count()} of {Event.objects.count()}")
    page.goto(base + f"/admin/evidence/event/{Event.objects.first().pk}/change/")
    expect(page.locator("#event_form")).to_be_visible()
    page.goto(base + "/admin/auth/user/add/")
    expect(page.locator("#user_form")).to_be_visible()
    assert violations == []


def _code(secret_text: str, *, later: int = 0) -> str:
    import base64
    import time

    key = base64.b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * later
    return f"{totp.token():06d}"


def test_two_factor_from_enrolment_to_the_code_step(page, live_server, violations, screenshot):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    log_in(page, base)
    page.get_by_role("link", name="Two-factor login").click()
    page.get_by_role("button", name="Set up two-factor login").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    screenshot(page, "two-factor-enrol")
    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status").first).to_contain_text("Two-factor login is on")
    expect(page.locator(".codes li")).to_have_count(10)
    screenshot(page, "two-factor-codes")
    assert TOTPDevice.objects.get(user__username="paralegal").confirmed

    page.get_by_role("button", name="Log out").click()
    log_in(page, base)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot(page, "login-code")
    page.get_by_label("Code").fill(_code(secret, later=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Your matters")).to_be_visible()
    assert violations == []


def test_members_page_with_an_invitation(page, live_server, violations, screenshot):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/m/{SLUG}/members")
    page.get_by_label("E-mail address").fill("associate@firm.example")
    page.get_by_label("Role").last.select_option(label="Editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to associate@firm.example.")
    expect(page.locator("table.invitations")).to_contain_text(re.compile(r"associate@firm\.example\s*Editor"))
    screenshot(page, "members")
    assert violations == []
