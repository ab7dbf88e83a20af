"""The one path by which files leave the app: evidence documents and finished exports.

Each function checks that the user may see the file's matter (a 404 otherwise, as for a file that does not exist)
and answers with Django's FileResponse, which writes `Content-Disposition` with an RFC 5987 filename; the type is
never sniffed again by the browser, and the response may not run anything of the file's own.
"""

from django.http import FileResponse, Http404

from evidence.models import Document, Job, Role
from evidence.permissions import require_role

# Types a browser may show inline without running anything of the file's own.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain"}


def serve_document(*, user, document: Document, inline: bool = False) -> FileResponse:
    """Send a document's file under its original name with its sniffed type; anything that is not a plain viewable
    type is always an attachment."""
    require_role(user, document.matter, Role.VIEWER)
    if document.is_deleted:
        raise Http404("No such document.")
    handle = _open(document.file, missing="The stored file is missing; run verify_evidence.")
    as_inline = inline and document.media_type in INLINE_TYPES
    response = _file_response(
        handle, content_type=document.media_type, filename=document.original_filename, as_attachment=not as_inline
    )
    response["Content-Length"] = str(document.size)  # the size recorded at intake
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def serve_export(*, user, job: Job) -> FileResponse:
    """Send a finished export job's file, always as an attachment and never cached by a shared cache."""
    from evidence.exporting import MEDIA_TYPES  # the service, not the writers: no WeasyPrint or pandas loaded

    require_role(user, job.matter, Role.VIEWER)
    if job.kind != Job.Kind.EXPORT or job.state != Job.State.DONE or not job.result:
        raise Http404("This export has no file (yet).")
    handle = _open(job.result, missing="The export's file is gone; export again.")
    extension = (job.result_name or job.result.name).rsplit(".", 1)[-1].lower()
    content_type = MEDIA_TYPES.get(extension, "application/octet-stream")
    filename = job.result_name or f"export.{extension}"
    response = _file_response(handle, content_type=content_type, filename=filename, as_attachment=True)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _open(field_file, *, missing: str):
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None


def _file_response(handle, *, content_type: str, filename: str, as_attachment: bool) -> FileResponse:
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
