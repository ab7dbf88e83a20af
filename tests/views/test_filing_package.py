"""The filing package from the export page and from export_chronology, by role: a background job with its progress
in files, the pre-flight on its page, the ZIP through the one download path; privileged exhibits never in it."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.models import AccessEvent, Job
from evidence.services.citations import citation_create
from tests.exporting.test_preflight import letter_pdf
from tests.factories import make_document, make_event

pytestmark = pytest.mark.django_db(transaction=True)  # exports are enqueued on commit, as after a request


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


@pytest.fixture
def cited(matter, user):
    public = make_document(matter, content=letter_pdf("Public policy"), filename="policy.pdf", title="Policy")
    secret = make_document(matter, content=letter_pdf("Counsel memo"), filename="memo.pdf", title="Counsel memo",
                           is_privileged=True)  # fmt: skip
    event = make_event(matter, date="Aug 2024", title="Policy amended")
    citation_create(event=event, document=public, pinpoint="p. 1", user=user, reason="test")
    citation_create(event=event, document=secret, pinpoint="p. 1", user=user, reason="test")
    make_event(matter, date="Sept 2024", title="Work-product note", is_privileged=True)
    return public, secret


def names_in(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist()


def test_a_viewer_gets_the_package_without_privileged_exhibits_and_sees_its_preflight(client, matter, viewer, cited):
    client.force_login(viewer)
    html = client.get(url("export", matter)).content.decode()
    assert "Filing package (CM/ECF-ready)" in html
    response = client.post(url("export", matter), {"report": "filing-package", "format": "pdf", "paper": "letter"})
    job = Job.objects.get(matter=matter)
    assert response.status_code == 302 and job.state == Job.State.DONE, job.message
    assert job.result_name.endswith(".zip") and (job.progress, job.total) == (3, 3)  # chronology, 1 exhibit, index
    page = client.get(url("export_job", matter, job.pk)).content.decode()
    assert "Pre-flight: 3 files checked against the court&#x27;s limit of 35.0 MB: none would be rejected." in page
    assert client.get(url("export_job", matter, job.pk) + "?format=json").json()["unit"] == "files"
    download = client.get(url("export_download", matter, job.pk))
    assert download["Content-Type"] == "application/zip" and download["X-Content-Type-Options"] == "nosniff"
    names = names_in(b"".join(download.streaming_content))
    assert names == ["Chronology of Events.pdf", "Index of Exhibits.pdf", "Ex. 1 – Policy.pdf"]
    assert AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.EXPORT, user=viewer).exists()

    refused = client.post(url("export", matter), {"report": "filing-package", "format": "pdf", "paper": "letter",
                                                  "include_privileged": "on"})  # fmt: skip
    assert refused.status_code == 200 and Job.objects.filter(matter=matter).count() == 1


def test_an_outsider_gets_404_for_the_page_the_job_and_the_file(client, matter, user, outsider, cited):
    client.force_login(user)
    client.post(url("export", matter), {"report": "filing-package", "format": "pdf", "paper": "letter"})
    job = Job.objects.get(matter=matter)
    client.force_login(outsider)
    for address in (url("export", matter), url("export_job", matter, job.pk), url("export_download", matter, job.pk)):
        assert client.get(address).status_code == 404
    assert client.post(url("export", matter), {"report": "filing-package"}).status_code == 404


def test_the_command_writes_the_package_and_prints_the_preflight(matter, user, cited, tmp_path):
    out, stdout, stderr = tmp_path / "package.zip", io.StringIO(), io.StringIO()
    call_command("export_chronology", "--matter", matter.slug, "--report", "filing-package", "--out", str(out),
                 "--user", user.username, stdout=stdout, stderr=stderr)  # fmt: skip
    assert "Wrote" in stdout.getvalue() and "zip" in stdout.getvalue()
    assert "Pre-flight: 3 files checked" in stderr.getvalue() + stdout.getvalue()
    assert names_in(out.read_bytes())[-1] == "Ex. 1 – Policy.pdf"


def test_the_commands_help_says_courts_reject_embedded_exhibits():
    from evidence.management.commands.export_chronology import Command

    help_text = " ".join(Command().create_parser("manage.py", "export_chronology").format_help().split())
    assert "Courts' e-filing systems (CM/ECF) reject a PDF with attached files" in help_text
    assert "filing-package" in help_text
