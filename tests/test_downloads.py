"""The one download path: a finished export leaves as an attachment under a safe name, to members only."""

import pytest
from django.http import Http404

from evidence.downloads import serve_document, serve_export
from evidence.models import Job
from evidence.services.jobs import job_create, job_finish_with_file
from tests.factories import make_document


def finished_export(matter, user, filename: str, content: bytes = b"%PDF-1.7 export") -> Job:
    job = job_create(matter=matter, user=user, kind=Job.Kind.EXPORT, options={})
    job_finish_with_file(job=job, filename=filename, content=content)
    job.refresh_from_db()
    return job


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_export_leaves_as_an_attachment_with_an_rfc_5987_name(matter, user, viewer):
    job = finished_export(matter, user, "doe-v-acme-chronologie-\u00e9t\u00e9-2026-11-29.pdf")
    response = serve_export(user=viewer, job=job)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''doe-v-acme-chronologie-%C3%A9t%C3%A9-2026-11-29.pdf" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == b"%PDF-1.7 export"


def test_a_name_cannot_break_out_of_the_header(matter, user):
    job = finished_export(matter, user, 'evil";\r\nSet-Cookie: x=1.csv', b"no,date\r\n")
    response = serve_export(user=user, job=job)
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_an_export_without_a_file_or_for_an_outsider_is_not_found(matter, user, outsider):
    running = job_create(matter=matter, user=user, kind=Job.Kind.EXPORT, options={})
    with pytest.raises(Http404):
        serve_export(user=user, job=running)
    done = finished_export(matter, user, "x.pdf")
    with pytest.raises(Http404):
        serve_export(user=outsider, job=done)
    done.result.storage.delete(done.result.name)  # the stored file is lost
    with pytest.raises(Http404, match="gone"):
        serve_export(user=user, job=done)


def test_a_document_is_inline_only_when_asked_and_viewable(matter, user):
    document = make_document(matter, content=b"plain text", filename="note \u00e9.txt")
    inline = serve_document(user=user, document=document, inline=True)
    assert inline["Content-Disposition"].startswith("inline;") and "note%20%C3%A9.txt" in inline["Content-Disposition"]
    attachment = serve_document(user=user, document=document)
    assert attachment["Content-Disposition"].startswith("attachment;")
    assert attachment["X-Content-Type-Options"] == "nosniff"
    assert attachment["Content-Length"] == str(document.size)
