"""An e-mail uploaded in a real browser: the upload page says whom each sender and recipient matched (or that a new
actor will be added, of which kind and why), and the proposal lets the paralegal choose another kind before saving."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Actor, Document, Matter
from evidence.services.actors import actor_get_or_create, actor_update
from tests.browser.test_paralegal_day import log_in
from tests.test_email_evidence import make_eml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_upload_page_says_whom_the_participants_matched(page, live_server, screenshot, tmp_path):
    call_command("load_demo", verbosity=0)
    matter = Matter.objects.get(slug="linkedin-ai-training")
    user = matter.memberships.get().user
    linkedin = Actor.objects.get(matter=matter, name="LinkedIn")
    actor_update(actor=linkedin, emails="press@linkedin.com", user=user, reason="its press address")
    jane = actor_get_or_create(matter=matter, name="Jane Doe", user=user, reason="counsel")
    actor_update(actor=jane, emails="jane.doe@example.com", user=user, reason="her address")
    eml = tmp_path / "opt-in-notice.eml"
    eml.write_bytes(
        make_eml(
            subject="Your data and generative AI",
            sender='"Doe, Jane" <JANE.DOE@example.com>',
            to="privacy@linkedin.com",
            cc="Ann Lee <ann.lee@linkedin.com>",
            attachments=(),
        )  # fmt: skip
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/m/{matter.slug}/documents/upload")
    page.get_by_label("Files to upload").set_input_files(str(eml))
    px = f"PX-{Document.objects.filter(matter=matter).count() + 1}"  # after the demo's article and sources
    page.get_by_role("button", name="Upload", exact=True).click()
    results = page.locator("#upload-results")
    expect(results).to_contain_text(f"{px} stored: opt-in-notice.eml")
    expect(results.locator("li.actor")).to_have_text(
        [
            f"{px} From “Doe, Jane” <JANE.DOE@example.com>: matched to the existing actor “Jane Doe” (by address)",
            f"{px} To privacy@linkedin.com: new actor “privacy@linkedin.com” once you confirm the event "
            "(organisation, because the address privacy@linkedin.com is a role mailbox (privacy@))",
            f"{px} Cc “Ann Lee” <ann.lee@linkedin.com>: new actor “Ann Lee” once you confirm the event (person, "
            "because the address ann.lee@linkedin.com is a personal one (ann.lee@))",
        ]
    )
    page.get_by_role("link", name="Review the proposed event").scroll_into_view_if_needed()
    screenshot(page, "upload-email-participants", full_page=False)

    page.get_by_role("link", name="Review the proposed event").click()
    expect(page.get_by_role("heading", name="Who is who")).to_be_visible()
    expect(page.get_by_label("Actors")).to_have_value("Jane Doe\nprivacy@linkedin.com\nAnn Lee")
    kind = page.get_by_label("“privacy@linkedin.com” is")
    expect(kind).to_have_value("organisation")
    page.get_by_role("button", name="Confirm and log the event").scroll_into_view_if_needed()
    screenshot(page, "email-proposal-participants", full_page=False)
    page.get_by_label("“Ann Lee” is").select_option("person")
    page.get_by_role("button", name="Confirm and log the event").click()
    expect(page.locator("body")).to_contain_text(
        "New actor “Ann Lee” added: person, of LinkedIn, ann.lee@linkedin.com."
    )
    new = Actor.objects.filter(matter=matter, name__in=["Ann Lee", "privacy@linkedin.com"])
    made = {a.name: (a.kind, a.emails) for a in new}
    assert made == {"Ann Lee": ("person", "ann.lee@linkedin.com"),
                    "privacy@linkedin.com": ("organisation", "privacy@linkedin.com")}  # fmt: skip
    assert Actor.objects.filter(matter=matter, name__icontains="doe").count() == 1
    expect(page).to_have_url(re.compile(r"/events/\d+/$"))
