"""The export page's versions of the chronology and the matter's filing settings page, by role."""

import pytest
from django.urls import reverse

from evidence.models import FilingSettings, Job
from tests import factories
from tests.exporting.readback import flat, pdftotext

pytestmark = pytest.mark.django_db(transaction=True)  # exports are enqueued on commit, as after a request


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


def test_the_export_page_offers_the_versions_and_says_embedded_exhibits_are_rejected(client, matter, viewer):
    client.force_login(viewer)
    html = client.get(url("export", matter)).content.decode()
    assert "Filing version" in html and "Internal version" in html and "Working copy" in html
    assert "Visual timeline on the caption page" in html
    assert "e-filing systems (CM/ECF) reject a PDF with attached files" in html
    assert url("filing_settings", matter) not in html  # the settings are the owners'


def test_a_filing_version_exported_from_the_page(client, matter, user):
    event = factories.make_event(matter, title="Setting introduced", date="Aug 2024", is_key=True, status="disputed")
    client.force_login(user)
    signature = "/s/ Ann Lee\nAttorneys for Plaintiff"
    data = {"citation_form": "label", "file_limit_mb": "35", "signature_block": signature}
    assert client.post(url("filing_settings", matter), data).status_code == 302
    response = client.post(
        url("export", matter), {"format": "pdf", "paper": "letter", "version": "filing", "signature": "on"}
    )
    job = Job.objects.get(matter=matter)
    assert response.status_code == 302 and job.state == Job.State.DONE, job.message
    assert "-chronology-filing-" in job.result_name
    pdf = b"".join(client.get(url("export_download", matter, job.pk)).streaming_content)
    text = flat(pdftotext(pdf))
    assert "Setting introduced" in text and "Disputed" not in text and "Key fact" not in text
    assert "/s/ Ann Lee Attorneys for Plaintiff" in text and "Timeline" not in text  # the box was left unticked
    assert f"{event.number} Aug 2024" in text


def test_the_page_refuses_a_filing_version_with_privileged_events_or_attachments(client, matter, user):
    client.force_login(user)
    data = {"format": "pdf", "paper": "letter", "version": "filing", "include_privileged": "on", "embed_exhibits": "on"}
    html = client.post(url("export", matter), data).content.decode()
    assert "The filing version never includes privileged material." in html
    assert "reject a PDF with attached files" in html
    assert not Job.objects.filter(matter=matter).exists()


def test_filing_settings_are_the_owners_and_kept_with_their_history(client, matter, user, editor, viewer, outsider):
    for who, status in ((outsider, 404), (viewer, 403), (editor, 403)):
        client.force_login(who)
        assert client.get(url("filing_settings", matter)).status_code == status
        assert client.post(url("filing_settings", matter), {"citation_form": "ex"}).status_code == status
    assert not FilingSettings.objects.filter(matter=matter).exists()

    client.force_login(user)
    html = client.get(url("filing_settings", matter)).content.decode()
    assert "Ex. 3 at 4" in html and "court&#x27;s file size limit" in html.lower() or "file size limit" in html
    bad = client.post(url("filing_settings", matter), {"citation_form": "ex", "file_limit_mb": "0"})
    assert bad.status_code == 200 and "greater than or equal to 1" in bad.content.decode()
    response = client.post(url("filing_settings", matter), {"citation_form": "exhibit", "file_limit_mb": "50",
                                                           "signature_block": "/s/ <b>Ann</b>"})  # fmt: skip
    assert response.status_code == 302
    settings = FilingSettings.objects.get(matter=matter)
    assert (settings.citation_form, settings.file_limit_mb, settings.signature_block) == (
        "exhibit",
        50,
        "/s/ <b>Ann</b>",
    )
    record = settings.history.get()
    assert record.history_user == user and record.history_change_reason == "filing settings changed"
