"""The "Import captures" upload on a source's page: editors only, run as a job, its page lists what was done."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from evidence.models import Job, SourceVersion
from evidence.services.sources import source_create
from tests.tracked.warcs import POLICY_V1, URL, sha256, two_versions


@pytest.fixture
def source(matter, user):
    return source_create(matter=matter, user=user, name="Privacy Policy", kind="policy", url=URL, reason="test")


def upload(client, source, data: bytes, name="crawl.warc.gz"):
    url = reverse("source_captures_import", args=[source.matter.slug, source.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs at commit (immediate backend)
        return client.post(url, {"file": SimpleUploadedFile(name, data)})


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_editor_imports_a_warc_and_sees_what_was_added(client, editor, source, matter):
    client.force_login(editor)
    page = text(client.get(reverse("source_detail", args=[matter.slug, source.pk])))
    assert "Import captures" in page and 'enctype="multipart/form-data"' in page
    response = upload(client, source, two_versions().bytes())
    job = Job.objects.get(kind=Job.Kind.IMPORT_CAPTURES)
    assert response.status_code == 302
    assert response["Location"] == reverse("source_captures_job", args=[matter.slug, source.pk, job.pk])
    page = text(client.get(response["Location"]))
    assert "Imported crawl.warc.gz: 2 versions added, 4 records skipped." in page
    first = SourceVersion.objects.filter(source=source).order_by("pk").first()
    assert first.document.exhibit_label in page and sha256(POLICY_V1) in page
    assert reverse("version_detail", args=[matter.slug, source.pk, first.pk]) in page
    assert "Aug 12, 2024, 3:15 AM PDT" in page and "2 records for other URLs skipped" in page
    status = client.get(response["Location"], {"format": "json"}).json()
    assert (status["state"], status["progress"], status["total"], status["unit"]) == ("done", 2, 2, "captures")
    # the source's page lists the import and its versions
    page = text(client.get(reverse("source_detail", args=[matter.slug, source.pk])))
    assert "Latest imports" in page and "crawl.warc.gz" in page and first.document.exhibit_label in page


def test_a_damaged_file_fails_the_job_and_changes_nothing(client, editor, source, matter):
    client.force_login(editor)
    response = upload(client, source, two_versions().bytes()[:-40], name="cut<b>.warc.gz")
    page = client.get(response["Location"]).content.decode()
    assert "The import failed: Cannot import: “cut&lt;b&gt;.warc.gz”: record 9 (offset " in page
    assert "is cut off" in page and "<b>" not in page
    assert not SourceVersion.objects.exists()


def test_a_file_over_the_limit_is_refused_before_any_job(client, editor, source, matter, settings):
    settings.CAPTURES_MAX_FILE_BYTES = 100
    client.force_login(editor)
    response = upload(client, source, two_versions().bytes())
    assert response["Location"] == reverse("source_detail", args=[matter.slug, source.pk])
    page = text(client.get(response["Location"]))
    assert "Nothing was imported: “crawl.warc.gz” is" in page and "the limit for a web-archive file is 100" in page
    assert not Job.objects.filter(kind=Job.Kind.IMPORT_CAPTURES).exists()


def test_viewers_and_outsiders_cannot_import(client, viewer, outsider, editor, source, matter):
    client.force_login(editor)
    job_url = upload(client, source, two_versions().bytes())["Location"]
    before = SourceVersion.objects.count()
    client.force_login(viewer)
    assert "Import captures" not in text(client.get(reverse("source_detail", args=[matter.slug, source.pk])))
    assert upload(client, source, two_versions().bytes()).status_code == 403
    assert client.get(job_url).status_code == 403
    client.force_login(outsider)
    assert upload(client, source, two_versions().bytes()).status_code == 404
    assert client.get(job_url).status_code == 404
    assert SourceVersion.objects.count() == before
    assert Job.objects.filter(kind=Job.Kind.IMPORT_CAPTURES).count() == 1
