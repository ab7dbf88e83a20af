"""The capture certificate of a version: what it states, read back from the PDF (pdftotext, pypdf), who may have it,
the access log's record of it, and no certificate for a stored file that no longer matches its SHA-256."""

import datetime as dt
import hashlib
import io

import pypdf
import pytest
from django.urls import reverse

from evidence.models import AccessEvent, IntegrityCheck
from evidence.services.chain import chain_head
from evidence.services.sources import source_create, version_add, version_delete, version_update
from tests.exporting.readback import flat, pdftotext
from tests.exporting.test_pdf import embedded_fonts
from tests.factories import make_document
from tests.storage import overwrite
from tests.tracked.sources import POLICY_URL, make_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(matter, user):
    return make_sources(matter, user)


def download(client, member, version):
    client.force_login(member)
    return client.get(reverse("version_certificate", args=[version.matter.slug, version.source_id, version.pk]))


def test_a_viewer_downloads_a_one_page_certificate_stating_the_capture_and_its_custody(
    client, viewer, matter, user, sources
):
    version = sources.p3
    document = version.document
    response = download(client, viewer, version)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{matter.slug}-{document.exhibit_label}-capture-certificate-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert 'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "Liberation-Serif" in embedded_fonts(reader)
    text = flat(pdftotext(content))
    assert "Capture Certificate" in text and matter.short_title in text
    assert document.sha256 in text
    assert POLICY_URL in text.replace(" ", "")  # a long URL may wrap
    assert "Web archive (WARC/WACZ), captured Sept 18, 2024, 10:02 AM PDT" in text
    assert f"{user.username} (who captured or imported it" in text
    assert f"{document.exhibit_label}: {document.title}" in text
    assert f"({document.size} bytes, text/plain)" in text
    assert "3 of 3 Web archive (WARC/WACZ)" in text  # the version's place among the source's
    assert "illustrative text, not the real wording" in text
    # the chain of custody: the intake, then the version's addition, each with who, why and its chain link
    assert f"Received at intake as {document.exhibit_label}; SHA-256 recorded" in text
    assert "Added as a version of “Privacy Policy”; capture method: Web archive (WARC/WACZ) captured" in text
    head = chain_head(matter).head_text
    assert head in text
    assert "#" in text.split("Chain of custody", 1)[1].split("Re-verifying", 1)[0]
    # how to re-verify, and the declarant's blanks
    assert f"sha256sum {document.exhibit_label}_" in text
    assert f"python manage.py verify_evidence --matter {matter.slug}" in text
    for blank in ("Name:", "Title:", "Signature:", "Date:"):
        assert blank in text


def test_the_download_is_in_the_access_log_with_both_hashes(client, viewer, sources):
    response = download(client, viewer, sources.p2)
    content = b"".join(response.streaming_content)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT, document=sources.p2.document)
    assert event.user == viewer
    assert event.detail["report"] == "capture certificate"
    assert event.detail["document_sha256"] == sources.p2.document.sha256
    assert event.detail["files"][0]["sha256"] == hashlib.sha256(content).hexdigest()


def test_every_change_of_the_version_is_a_row_of_custody(client, viewer, user, sources):
    moment = dt.datetime(2024, 9, 18, 18, 0, tzinfo=dt.UTC)
    version_update(version=sources.p3, user=user, reason="capture time from the WARC header", captured_at=moment)
    text = flat(pdftotext(b"".join(download(client, viewer, sources.p3).streaming_content)))
    assert "Version details changed: capture time capture time from the WARC header" in text
    assert "captured Sept 18, 2024, 11:00 AM PDT" in text


def test_names_are_printed_as_written_never_as_markup(client, viewer, matter, user):
    source = source_create(matter=matter, user=user, name="Terms <b>v2</b> & more", kind="terms", reason="t")
    document = make_document(matter, user=user, content=b"terms", filename="terms.txt")
    version = version_add(source=source, document=document, user=user, capture_method="upload", reason="t")
    text = flat(pdftotext(b"".join(download(client, viewer, version).streaming_content)))
    assert "Terms <b>v2</b> & more" in text
    assert "none recorded" in text and "capture time not recorded" in text


def test_outsiders_get_nothing_and_a_deleted_version_has_no_certificate(client, outsider, viewer, user, sources):
    assert download(client, outsider, sources.p1).status_code == 404
    version_delete(version=sources.p1, user=user, reason="wrong document")
    assert download(client, viewer, sources.p1).status_code == 404
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()


def test_no_certificate_for_a_file_that_no_longer_matches_its_hash(client, viewer, sources):
    document = sources.p1.document
    overwrite(document.file.name, b"tampered bytes")
    response = download(client, viewer, sources.p1)
    assert response.status_code == 409
    assert "Integrity failure" in response.content.decode()
    check = IntegrityCheck.objects.filter(document=document).latest("id")
    assert not check.ok and check.problem == IntegrityCheck.Problem.SIZE
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()
