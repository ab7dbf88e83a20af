"""The chronology's option to append the redlines of the tracked sources its events cite: after the exhibit index,
each cited version against the one before it, unchanged paragraphs folded; from the command and the export page."""

import subprocess

import pytest
from django.urls import reverse

from evidence.exporting import ExportOptions, export_chronology
from evidence.services.citations import citation_create
from tests import factories
from tests.commands.support import run_command
from tests.tracked.redline_support import make_source

pytestmark = pytest.mark.django_db


def pdftotext(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def cite(matter, user, version, title="Privacy Policy amended"):
    event = factories.make_event(matter, date="Sept 2024", title=title, kind="policy_edit")
    citation_create(event=event, document=version.document, pinpoint="", user=user, reason="test")
    return event


def test_the_command_appends_the_redline_of_each_cited_version_after_the_exhibit_index(matter, user, tmp_path):
    source, (v1, v2) = make_source(matter, illustrative=True)
    other, (f1, f2) = make_source(matter, name="Generative AI FAQ", versions=[
        (b"FAQ\n\nDo you train AI on my data? No.\n", "faq-1.txt", "2023"),
        (b"FAQ\n\nDo you train AI on my data? Yes, unless you opt out.\n", "faq-2.txt", "2024"),
    ])  # fmt: skip
    cite(matter, user, v2)
    cite(matter, user, f1, title="FAQ as first captured")  # the first version: nothing before it to compare
    out = tmp_path / "chronology.pdf"
    code, _, stderr = run_command("export_chronology", "--matter", matter.slug, "--out", str(out),
                                  "--source-redlines", "--user", user.username)  # fmt: skip
    assert code == 0, stderr
    text = pdftotext(out.read_bytes())
    assert "Appended 1 redline of tracked sources the events cite" in text
    index, appended = text.index("Exhibit Index"), text.index("Redlines of Tracked Sources")
    assert index < appended
    after = text[appended:]
    assert (
        f"Redline of Privacy Policy: {v1.document.exhibit_label} (effective 2023) to {v2.document.exhibit_label}"
        in after
    )
    assert "We [-do not-][+may+] use your data" in after
    assert v1.document.sha256 not in text[:appended]  # PX-1 is not cited: only the appendix names it, with its hash
    assert v1.document.sha256 in after and v2.document.sha256 in after
    assert "Illustrative text, not the real wording." in after
    assert "Generative AI FAQ" not in after


def test_without_the_option_nothing_is_appended(matter, user, tmp_path):
    source, (v1, v2) = make_source(matter)
    cite(matter, user, v2)
    result = export_chronology(matter=matter, user=user, options=ExportOptions())
    assert "Redlines of Tracked Sources" not in pdftotext(result.content)


def test_unchanged_paragraphs_are_folded_in_the_appendix(matter, user):
    body = "\n\n".join(f"Paragraph {n} is the same in both versions." for n in range(1, 12))
    source, (v1, v2) = make_source(matter, versions=[
        (f"Terms\n\n{body}\n\nWe may end your account.\n".encode(), "t1.txt", "2023"),
        (f"Terms\n\n{body}\n\nWe may end or suspend your account.\n".encode(), "t2.txt", "2024"),
    ])  # fmt: skip
    cite(matter, user, v2)
    text = pdftotext(export_chronology(matter=matter, user=user, options=ExportOptions(source_redlines=True)).content)
    assert "[… 11 unchanged paragraphs not shown …] Paragraph 11 is the same in both versions." in text
    assert "We may end [+or suspend +]your account." in text


def test_a_privileged_pair_is_left_out_of_an_export_without_privileged_material(matter, user):
    source, (v1, v2) = make_source(matter, privileged=(0,))
    cite(matter, user, v2)
    text = pdftotext(export_chronology(matter=matter, user=user, options=ExportOptions(source_redlines=True)).content)
    assert "Redline of Privacy Policy" not in text
    assert v1.document.sha256 not in text


@pytest.mark.parametrize("options", [{"format": "csv"}, {"format": "docx"}, {"report": "exhibit-list"}])
def test_the_option_is_for_the_chronology_pdf_only(options):
    with pytest.raises(ValueError, match="appended to the chronology's PDF only"):
        ExportOptions(source_redlines=True, **options)


def test_the_export_page_offers_the_option_and_refuses_it_for_a_spreadsheet(client, matter, user):
    client.force_login(user)
    url = reverse("export", args=[matter.slug])
    assert "Append the redlines of the tracked sources the exported events cite" in client.get(url).content.decode()
    response = client.post(url, {"report": "chronology", "format": "csv", "paper": "letter", "source_redlines": "on"})
    assert "appended to the chronology&#x27;s PDF only" in response.content.decode()


def test_the_option_survives_the_export_job(client, matter, user):
    source, (v1, v2) = make_source(matter)
    cite(matter, user, v2)
    client.force_login(user)
    response = client.post(reverse("export", args=[matter.slug]), {
        "report": "chronology", "format": "pdf", "paper": "letter", "version": "standard", "source_redlines": "on",
    })  # fmt: skip
    assert response.status_code == 302
    from evidence.models import Job

    job = Job.objects.filter(matter=matter, kind=Job.Kind.EXPORT).latest("pk")
    assert job.options["source_redlines"] is True
    assert ExportOptions.from_json(job.options).source_redlines


def test_the_api_takes_the_option_and_names_it_when_it_does_not_apply(matter, user):
    from evidence.models import Job
    from tests.api.conftest import api_client

    source, (v1, v2) = make_source(matter)
    cite(matter, user, v2)
    api = api_client(user)
    url = f"/api/matters/{matter.slug}/jobs/"
    refused = api.post(url, {"format": "csv", "source_redlines": True}, "application/json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"source_redlines"}
    started = api.post(url, {"format": "pdf", "source_redlines": True}, "application/json")
    assert started.status_code == 202
    job = Job.objects.get(pk=started.json()["id"])
    assert job.options["source_redlines"] is True
