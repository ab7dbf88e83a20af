"""Scans and images are OCR'd by a background job (the real Tesseract): the document's text gets their words page by
page, its page count is stored, its page says how OCR went and offers the OCR'd copy; a failure says why."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from evidence.models import AccessEvent, Job
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake
from tests.factories import make_document, make_event, make_pdf
from tests.scans import scanned_image, scanned_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (tesseract-ocr)")

PAGE_ONE = ["Data for Generative AI Improvement", "was switched on by default"]
PAGE_TWO = ["Complaint filed in the Northern District"]


def upload(client, matter, filename, content, capture):
    with capture(execute=True):  # the immediate task backend runs the queued OCR when the upload commits
        response = client.post(
            reverse("document_upload", args=[matter.slug]),
            {"files": [SimpleUploadedFile(filename, content)]},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
    assert response.status_code == 200, response.content
    return response.json()["results"][0]


def page_of(client, document) -> str:
    return client.get(reverse("document_detail", args=[document.matter.slug, document.pk])).content.decode()


def test_an_uploaded_scan_is_ocrd_its_words_found_on_their_page(
    client, matter, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    line = upload(client, matter, "scan.pdf", scanned_pdf([PAGE_ONE, PAGE_TWO]), django_capture_on_commit_callbacks)
    assert line["status"] == "stored"
    document = matter.documents.get()
    original_sha256 = document.sha256

    job = Job.objects.get(kind=Job.Kind.OCR)
    assert (job.state, job.progress, job.total) == ("done", 2, 2)
    document.refresh_from_db()
    first, second = document.extracted_text.split("\n\f")
    assert "Data for Generative AI Improvement" in first and "switched on by default" in first
    assert "Complaint filed in the Northern District" in second
    assert document.page_count == 2
    assert document.sha256 == original_sha256 and document.history.count() == 1  # the evidence is untouched

    page = page_of(client, document)
    assert f"OCR read {len(document.extracted_text):,} characters from 2 pages." in page
    copy_url = reverse("document_ocr_copy", args=[matter.slug, document.pk])
    assert copy_url in page
    response = client.get(copy_url)
    assert response["Content-Disposition"].startswith('attachment; filename="PX-1_OCR.pdf"')
    copy = b"".join(response.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=copy, capture_output=True, check=True).stdout.decode()
    assert "Complaint filed in the Northern District" in text
    assert len(PdfReader(io.BytesIO(copy)).pages) == 2
    sent = AccessEvent.objects.filter(document=document, kind=AccessEvent.Kind.DOWNLOAD_FILE).get()
    assert sent.detail["copy"] == "OCR" and sent.detail["filename"] == "PX-1_OCR.pdf"

    event = make_event(matter, title="Complaint filed")
    citation_create(event=event, document=document, pinpoint="p. 2", user=user, reason="test")
    found = client.get(reverse("timeline", args=[matter.slug]), {"q": "Northern District"}).content.decode()
    assert "Complaint filed" in found  # a word only the scan holds finds the event citing it


def test_an_uploaded_image_gets_its_text_by_ocr(client, matter, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    upload(client, matter, "photo.png", scanned_image(PAGE_TWO), django_capture_on_commit_callbacks)
    document = matter.documents.get()
    assert document.media_type == "image/png"
    assert "Complaint filed in the Northern District" in document.extracted_text
    assert document.page_count == 1
    page = page_of(client, document)
    assert "Text found by OCR" in page and "Complaint filed in the Northern District" in page


def test_a_pdf_with_text_on_every_page_is_not_ocrd(matter, django_capture_on_commit_callbacks):
    weasyprint = pytest.importorskip("weasyprint")
    with django_capture_on_commit_callbacks(execute=True):
        make_document(matter, content=weasyprint.HTML(string="<p>Typed text</p>").write_pdf(), filename="typed.pdf")
    assert not Job.objects.filter(kind=Job.Kind.OCR).exists()


def test_ocr_that_fails_ends_failed_with_its_reason_on_the_page(
    settings, client, matter, user, django_capture_on_commit_callbacks
):
    settings.OCR_MAX_PAGES = 2
    client.force_login(user)
    upload(client, matter, "long.pdf", scanned_pdf([PAGE_ONE] * 3), django_capture_on_commit_callbacks)
    document = matter.documents.get()
    job = Job.objects.get(kind=Job.Kind.OCR)
    reason = "OCR of PX-1 failed: The PDF declares 3 pages; OCR takes at most 2 (setting OCR_MAX_PAGES)."
    assert (job.state, job.message) == ("failed", reason)
    assert document.extracted_text.strip() == "" and not job.result
    page = page_of(client, document)
    assert reason in page and "Run OCR again" in page
    assert reverse("document_ocr_copy", args=[matter.slug, document.pk]) not in page

    settings.OCR_MAX_PAGES = 10
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_ocr", args=[matter.slug, document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.extracted_text.count("Data for Generative AI Improvement") == 3
    assert "OCR read" in page_of(client, document)


def test_without_tesseract_the_job_says_so(monkeypatch, tmp_path, matter, user, django_capture_on_commit_callbacks):
    monkeypatch.setenv("PATH", str(tmp_path))  # a host without the program
    with django_capture_on_commit_callbacks(execute=True):
        document_intake(matter=matter, user=user, file=io.BytesIO(scanned_image(PAGE_TWO)), filename="p.png",
                        reason="upload")  # fmt: skip
    job = Job.objects.get(kind=Job.Kind.OCR)
    assert job.state == "failed"
    assert job.message == (
        "OCR of PX-1 failed: OCR is not available on this server: Tesseract is not installed (Debian: tesseract-ocr "
        "and tesseract-ocr-eng)."
    )


def test_who_may_run_ocr_and_fetch_the_ocrd_copy(
    client, matter, user, editor, viewer, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(matter, content=scanned_image(PAGE_TWO), filename="p.png")
    run = reverse("document_ocr", args=[matter.slug, document.pk])
    copy = reverse("document_ocr_copy", args=[matter.slug, document.pk])
    client.force_login(outsider)
    assert client.post(run).status_code == 404 and client.get(copy).status_code == 404
    client.force_login(viewer)
    assert client.post(run).status_code == 403
    assert client.get(copy).status_code == 200  # whoever may see the document may see its OCR'd copy
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(run).status_code == 302
    assert Job.objects.filter(kind=Job.Kind.OCR, state="done").count() == 2
    text = make_document(matter, content=make_pdf(1), filename="blank.pdf")
    assert client.get(reverse("document_ocr_copy", args=[matter.slug, text.pk])).status_code == 404
