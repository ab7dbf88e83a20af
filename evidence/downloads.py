"""The one path by which files leave the app: evidence documents and finished exports.

Each function checks that the user may see the file's matter (a 404 otherwise, as for a file that does not exist),
checks that the stored file is still what was received (evidence.integrity: its size always, its SHA-256 up to
EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES before sending and beyond that while sending), records the access in the matter's
access log, and only then answers with Django's FileResponse, which writes `Content-Disposition` with an RFC 5987
filename built by evidence.filenames; the type is never sniffed again by the browser, and the response may not run
anything of the file's own. A file that fails its check is refused with IntegrityFailure, which the views show as
the "integrity failure" page; its bytes are never sent.
"""

from django.conf import settings
from django.http import FileResponse, Http404

from evidence import integrity, selectors
from evidence.filenames import exhibit_file_name, safe_file_name
from evidence.integrity import IntegrityFailure
from evidence.models import Document, Edition, IntegrityCheck, Job, Role
from evidence.permissions import job_role, require_edition, require_role
from evidence.services import access

# Types a browser may show inline without running anything of the file's own.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain"}

__all__ = [
    "IntegrityFailure",
    "open_edition_file",
    "serve_certificate",
    "serve_document",
    "serve_edition",
    "serve_export",
    "serve_ocr_copy",
    "serve_redline",
]


def serve_document(*, user, document: Document, inline: bool = False, address: str | None = "") -> FileResponse:
    """Send a document's file under its exhibit name ("PX-3_policy.pdf") with its sniffed type; anything that is not
    a plain viewable type is always an attachment."""
    require_role(user, document.matter, Role.VIEWER)
    if document.is_deleted:
        raise Http404("No such document.")
    latest = selectors.latest_integrity_check(document=document)
    if latest is not None and not latest.ok:  # until verify_evidence finds it intact again
        raise IntegrityFailure(integrity.document_failure_text(document, latest), problem=latest.problem)
    handle = _open_document(document)
    as_inline = inline and document.media_type in INLINE_TYPES
    filename = exhibit_file_name(document)
    _record_or_close(
        handle,
        lambda: access.access_file_sent(
            user=user, document=document, filename=filename, inline=as_inline, address=address
        ),
    )
    response = _file_response(handle, content_type=document.media_type, filename=filename, as_attachment=not as_inline)
    response["Content-Length"] = str(document.size)  # the size recorded at intake, which the file was checked to have
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def serve_ocr_copy(*, user, document: Document, inline: bool = False, address: str | None = "") -> FileResponse:
    """Send the OCR'd copy of a document (a PDF: its pages with the OCR text laid over them), to whoever may see the
    document, as "PX-3 OCR.pdf". It is derived from the evidence, not the evidence: 404 when there is none."""
    require_role(user, document.matter, Role.VIEWER)
    if document.is_deleted:
        raise Http404("No such document.")
    job = selectors.ocr_copy_of(document=document)
    if job is None:
        raise Http404("This document has no OCR'd copy.")
    handle = _open(job.result, missing="The OCR'd copy is gone; run OCR again.")
    filename = safe_file_name(job.result_name)
    _record_or_close(
        handle,
        lambda: access.access_ocr_copy_sent(
            user=user, document=document, job=job, filename=filename, inline=inline, address=address
        ),
    )
    response = _file_response(handle, content_type="application/pdf", filename=filename, as_attachment=not inline)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def _open_document(document: Document):
    finding, handle = integrity.open_checked(
        document.file.name,
        expected_size=document.size,
        expected_sha256=document.sha256,
        hash_limit=settings.EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES,
    )

    def refuse(finding):
        access.integrity_failure_record(document=document, finding=finding, source=IntegrityCheck.Source.DOWNLOAD)

    if not finding.ok:
        refuse(finding)
        raise IntegrityFailure(integrity.document_failure_text(document, finding), problem=finding.problem)
    if finding.hashed:
        return handle
    return integrity.HashingReader(
        handle, expected_size=document.size, expected_sha256=document.sha256, on_mismatch=refuse
    )


def serve_export(*, user, job: Job, address: str | None = "") -> FileResponse:
    """Send a finished export job's file (a chronology, or a matter archive to its owners only), always as an
    attachment and never cached by a shared cache; checked against the SHA-256 and size the access log recorded when
    the export was made."""
    from evidence.exporting import MEDIA_TYPES  # the service, not the writers: no WeasyPrint or pandas loaded

    require_role(user, job.matter, job_role(job))
    if job.kind not in (Job.Kind.EXPORT, Job.Kind.ARCHIVE) or job.state != Job.State.DONE or not job.result:
        raise Http404("This export has no file (yet).")
    extension = (job.result_name or job.result.name).rsplit(".", 1)[-1].lower()
    filename = safe_file_name(job.result_name or f"export.{extension}")
    produced = selectors.export_record(job=job)
    expected = produced.detail["files"][0] if produced is not None else None
    handle = _open_export(job, expected)
    _record_or_close(
        handle,
        lambda: access.access_export_sent(
            user=user,
            job=job,
            filename=filename,
            sha256=expected["sha256"] if expected else "",
            size=expected["size"] if expected else job.result.size,
            address=address,
        ),
    )
    content_type = {**MEDIA_TYPES, "zip": "application/zip"}.get(extension, "application/octet-stream")
    response = _file_response(handle, content_type=content_type, filename=filename, as_attachment=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _open_export(job: Job, expected: dict | None):
    missing = "The export's file is gone; export again."
    if expected is None:  # made before exports were recorded: nothing to compare with
        return _open(job.result, missing=missing)
    finding, handle = integrity.open_checked(
        job.result.name,
        expected_size=expected["size"],
        expected_sha256=expected["sha256"],
        hash_limit=settings.EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES,
    )
    if finding.problem == IntegrityCheck.Problem.MISSING:
        raise Http404(missing)
    if not finding.ok:
        text = integrity.failure_text(
            problem=finding.problem,
            expected_size=expected["size"],
            expected_sha256=expected["sha256"],
            actual_size=finding.actual_size,
            actual_sha256=finding.actual_sha256,
            detail=finding.detail,
        )
        raise IntegrityFailure(f"{text} (of the export as it was made)", problem=finding.problem)
    if finding.hashed:
        return handle
    return integrity.HashingReader(
        handle, expected_size=expected["size"], expected_sha256=expected["sha256"], on_mismatch=lambda finding: None
    )


def open_edition_file(edition: Edition, *, snapshot: bool = False, hash_limit: int | None = None):
    """The edition's file (or its snapshot) opened, after checking it is still what was kept; IntegrityFailure
    otherwise, naming what differs."""
    name, size, sha256 = (
        (edition.snapshot.name, edition.snapshot_size, edition.snapshot_sha256)
        if snapshot
        else (edition.file.name, edition.size, edition.sha256)
    )
    finding, handle = integrity.open_checked(name, expected_size=size, expected_sha256=sha256, hash_limit=hash_limit)
    if not finding.ok:
        text = integrity.failure_text(
            problem=finding.problem,
            expected_size=size,
            expected_sha256=sha256,
            actual_size=finding.actual_size,
            actual_sha256=finding.actual_sha256,
            detail=finding.detail,
        )
        what = "snapshot" if snapshot else "file"
        raise IntegrityFailure(
            f"{text} (the {what} of edition {edition.number} as it was kept)", problem=finding.problem
        )
    if finding.hashed:
        return handle
    return integrity.HashingReader(handle, expected_size=size, expected_sha256=sha256, on_mismatch=lambda finding: None)


def serve_edition(*, user, edition: Edition, address: str | None = "") -> FileResponse:
    """Send a kept edition's file as it was handed over (checked against its SHA-256), always as an attachment."""
    from evidence.exporting import MEDIA_TYPES

    require_edition(user, edition)
    handle = open_edition_file(edition, hash_limit=settings.EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES)
    filename = safe_file_name(edition.filename)
    _record_or_close(
        handle,
        lambda: access.access_edition_sent(user=user, edition=edition, filename=filename, address=address),
    )
    response = _file_response(handle, content_type=MEDIA_TYPES[edition.format], filename=filename, as_attachment=True)
    response["Content-Length"] = str(edition.size)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_redline(*, user, edition: Edition, content: bytes, filename: str, address: str | None = "") -> FileResponse:
    """Send a redline PDF made just now from `edition` (evidence.editions.redline), recorded as an export."""
    import io

    require_edition(user, edition)
    filename = safe_file_name(filename)
    access.access_redline_produced(user=user, edition=edition, filename=filename, content=content, address=address)
    response = _file_response(
        io.BytesIO(content), content_type="application/pdf", filename=filename, as_attachment=True
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_source_redline(*, user, comparison, content: bytes, filename: str, address: str | None = "") -> FileResponse:
    """Send the redline PDF of two versions of a tracked source made just now (evidence.tracked.redline_pdf) from a
    comparison the user was allowed (tracked.comparison.source_comparison with export=True), recorded as an export."""
    import io

    filename = safe_file_name(filename)
    access.access_source_redline_produced(
        user=user, comparison=comparison, filename=filename, content=content, address=address
    )
    response = _file_response(
        io.BytesIO(content), content_type="application/pdf", filename=filename, as_attachment=True
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_certificate(*, user, version, content: bytes, filename: str, address: str | None = "") -> FileResponse:
    """Send the capture certificate of a tracked source's version (evidence.tracked.certificate), made just now from
    the version's document, to whoever may see the document; recorded as an export naming the document."""
    import io

    require_role(user, version.matter, Role.VIEWER)
    if version.is_deleted or version.document.is_deleted:
        raise Http404("No such version.")
    filename = safe_file_name(filename)
    access.access_certificate_produced(user=user, version=version, filename=filename, content=content, address=address)
    response = _file_response(
        io.BytesIO(content), content_type="application/pdf", filename=filename, as_attachment=True
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _record_or_close(handle, record) -> None:
    """Record the access before anything is sent; if that fails, nothing is sent (and the file is closed)."""
    try:
        record()
    except BaseException:
        handle.close()
        raise


def _open(field_file, *, missing: str):
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None


def _file_response(handle, *, content_type: str, filename: str, as_attachment: bool) -> FileResponse:
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
