"""A team's own spreadsheet imported through the admin in a real browser: its unknown categories are listed in the
preview with their counts, mapped there, checked again, and imported as mapped; the next file remembers them."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evidence.models import Event, Matter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = (
    "Date,Title,Category,Doc Ref,Occurred on\n"
    "2024-09-18,LinkedIn spokesperson confirms the setting,Press,,Statement to 404 Media\n"
    "2024-09-19,Blog post on generative AI data,Press,,Company blog\n"
    "2024-09-20,Members ask about the setting,Forum thread,,Help forum\n"
)


def upload(page, base, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    page.goto(base + "/admin/evidence/event/import/")
    page.get_by_label("Matter").select_option(label=str(Matter.objects.get()))
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Dry run: nothing has been written yet.")).to_be_visible()


def test_unknown_categories_are_mapped_in_the_preview(page, live_server, tmp_path, screenshot):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("paralegal")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    before = Event.objects.count()

    upload(page, base, tmp_path, "team.csv", SHEET)
    values = page.locator("#import-values")
    expect(values).to_contain_text("Press")
    expect(values.locator("tbody tr").first).to_contain_text("2 (rows 2, 3)")
    expect(values).to_contain_text("Forum thread")
    expect(page.locator("#import-columns")).to_contain_text("Statement to 404 Media")
    screenshot(page, "import-mapping")

    page.get_by_label("Read kind “Press” as").select_option(label="Public statement")
    page.get_by_label("Import column “Occurred on” as").select_option(label="Source note")
    page.get_by_role("button", name="Check the file again with these choices").click()
    expect(page.get_by_text("Dry run: nothing has been written yet.")).to_be_visible()
    rows = page.locator("#import-rows")
    expect(rows.locator("tr", has_text="LinkedIn spokesperson")).to_contain_text("Public statement")
    expect(rows.locator("tr", has_text="Members ask")).to_contain_text("Forum thread")  # kept as an issue tag
    assert Event.objects.count() == before

    page.get_by_role("button", name="Import 3 new and 0 updated events").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported team.csv")
    spokesperson = Event.objects.get(title="LinkedIn spokesperson confirms the setting")
    assert (spokesperson.kind, spokesperson.source_note) == ("public_statement", "Statement to 404 Media")
    assert [i.name for i in Event.objects.get(title="Members ask about the setting").issues.all()] == ["Forum thread"]

    # the next sheet from the same team: "Press" and "Occurred on" are read as chosen before
    upload(page, base, tmp_path, "more.csv", "Date,Title,Category,Occurred on\n2024-10-01,Follow-up,press,Reuters\n")
    expect(page.get_by_label("Read kind “press” as")).to_have_value("public_statement")
    expect(page.get_by_label("Import column “Occurred on” as")).to_have_value("source_note")
