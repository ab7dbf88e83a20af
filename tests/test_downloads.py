"""The one download path: a document or a finished export leaves as an attachment under a safe name, to members
only, only while its stored file is still what was received, and only once the access is in the matter's log."""

import hashlib

import pytest
from django.db import DatabaseError
from django.http import Http404

from evidence.downloads import IntegrityFailure, serve_document, serve_export
from evidence.models import AccessEvent, IntegrityCheck, Job
from evidence.services.jobs import job_create, job_finish_with_file
from tests.factories import make_document, make_matter
from tests.storage import filesystem_only, overwrite, remove


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
    assert inline["Content-Disposition"] == "inline; filename*=utf-8''PX-1_note_%C3%A9.txt"
    attachment = serve_document(user=user, document=document)
    assert attachment["Content-Disposition"].startswith("attachment;")
    assert attachment["X-Content-Type-Options"] == "nosniff"
    assert attachment["Content-Length"] == str(document.size)


# Integrity: a file that is no longer what was received is refused, never sent ----------------------------------------


def test_a_file_changed_on_disk_with_the_same_size_is_refused(matter, user, media_root):
    document = make_document(matter, content=b"original bytes", filename="memo.txt")
    overwrite(document.file.name, b"tampered bytes")
    with pytest.raises(IntegrityFailure) as refused:
        serve_document(user=user, document=document)
    assert refused.value.status == 409
    now, then = hashlib.sha256(b"tampered bytes").hexdigest(), hashlib.sha256(b"original bytes").hexdigest()
    assert refused.value.message == f"SHA-256 {now}, expected {then}"
    check = IntegrityCheck.objects.get(document=document)
    assert (check.ok, check.problem, check.source) == (False, "sha256", "download")
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD_FILE).exists()  # nothing left: no access


def test_a_file_whose_size_changed_is_refused_on_every_download_whatever_the_hash_limit(
    matter, user, media_root, settings
):
    settings.EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES = 0  # no hashing before sending: the size alone refuses it
    document = make_document(matter, content=b"x" * 1200, filename="memo.txt")
    overwrite(document.file.name, b"x" * 1234)
    with pytest.raises(IntegrityFailure, match=r"^size 1,234 bytes, expected 1,200$"):
        serve_document(user=user, document=document)


def test_a_missing_file_is_gone(matter, user, media_root):
    document = make_document(matter, content=b"will vanish")
    remove(document.file.name)
    with pytest.raises(IntegrityFailure, match="missing") as refused:
        serve_document(user=user, document=document)
    assert refused.value.status == 410


@filesystem_only
def test_a_directory_in_place_of_the_file_is_refused_without_a_traceback(matter, user, media_root):
    document = make_document(matter, content=b"became a directory")
    path = media_root / document.file.name
    path.unlink()
    path.mkdir()
    with pytest.raises(IntegrityFailure, match="a directory is stored in place of the file"):
        serve_document(user=user, document=document)


def test_above_the_hash_limit_a_changed_file_is_cut_off_while_it_streams_and_refused_afterwards(
    matter, user, media_root, settings
):
    settings.EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES = 4
    document = make_document(matter, content=b"original bytes", filename="memo.txt")
    assert body(serve_document(user=user, document=document)) == b"original bytes"  # intact: sent whole

    overwrite(document.file.name, b"tampered bytes")
    response = serve_document(user=user, document=document)  # same size: only the stream can tell
    with pytest.raises(IntegrityFailure, match="changed while it was being sent"):
        body(response)
    response.file_to_stream.close()
    assert IntegrityCheck.objects.get(document=document).problem == "sha256"
    with pytest.raises(IntegrityFailure):
        serve_document(user=user, document=document)


def test_a_recorded_failure_stands_until_verify_evidence_finds_the_file_intact(matter, user, media_root):
    from evidence.integrity import verify_documents

    document = make_document(matter, content=b"original bytes")
    overwrite(document.file.name, b"tampered bytes")
    verify_documents()
    overwrite(document.file.name, b"original bytes")  # restored from a backup copy
    with pytest.raises(IntegrityFailure, match="expected"):
        serve_document(user=user, document=document)
    verify_documents()
    assert body(serve_document(user=user, document=document)) == b"original bytes"


def test_a_changed_export_file_is_refused_by_the_sha256_the_log_recorded(
    matter, user, media_root, django_capture_on_commit_callbacks
):
    from evidence.exporting import ExportOptions, export_job_start

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(matter=matter, user=user, options=ExportOptions(format="csv"))
    job.refresh_from_db()
    assert body(serve_export(user=user, job=job))  # intact
    overwrite(job.result.name, b"x" * job.result.size)
    with pytest.raises(IntegrityFailure, match="of the export as it was made"):
        serve_export(user=user, job=job)


def test_a_changed_exhibit_is_not_attached_to_a_pdf_as_the_evidence(matter, user, media_root):
    from evidence.exporting import ExportOptions, export_chronology
    from evidence.services.citations import citation_create
    from tests.factories import make_event

    document = make_document(matter, content=b"original bytes", filename="memo.txt")
    citation_create(event=make_event(matter), document=document, user=user, reason="test")
    overwrite(document.file.name, b"tampered bytes")
    with pytest.raises(IntegrityFailure, match="^PX-1: integrity failure: SHA-256 "):
        export_chronology(matter=matter, user=user, options=ExportOptions(format="pdf", embed_exhibits=True))


# Names ----------------------------------------------------------------------------------------------------------------


def test_an_exhibit_prefix_or_a_file_name_cannot_steer_the_download_name(user):
    matter = make_matter(owner=user, exhibit_prefix="../\u202e")
    document = make_document(matter, content=b"evidence", filename="..\\invoice\u202efdp.exe\r\n")
    disposition = serve_document(user=user, document=document)["Content-Disposition"]
    assert disposition == 'attachment; filename="Exhibit-1_invoicefdp.exe"'


# The access log ------------------------------------------------------------------------------------------------------


def test_a_download_is_in_the_log_before_it_is_sent(matter, viewer):
    document = make_document(matter, content=b"evidence", filename="memo.txt")
    response = serve_document(user=viewer, document=document, address="203.0.113.9")
    event = AccessEvent.objects.get()
    assert (event.kind, event.user, event.document, event.address) == ("download_file", viewer, document, "203.0.113.9")
    assert event.detail == {"exhibit": "PX-1", "filename": "PX-1_memo.txt", "sha256": document.sha256, "size": 8}
    assert body(response) == b"evidence"
    body(serve_document(user=viewer, document=document, inline=True))
    assert AccessEvent.objects.order_by("sequence").last().kind == "view_file"


def test_when_the_log_cannot_be_written_the_file_is_not_sent(matter, user, monkeypatch):
    document = make_document(matter, content=b"evidence")

    def refuse(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessEvent, "save", refuse)
    with pytest.raises(DatabaseError):
        serve_document(user=user, document=document)
    job = finished_export(matter, user, "x.csv", b"a,b")
    with pytest.raises(DatabaseError):
        serve_export(user=user, job=job)
