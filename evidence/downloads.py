"""The one path by which evidence files leave the app."""

from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from evidence.models import Document, Role
from evidence.permissions import require_role

# Types a browser may show inline without running anything of the file's own.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain"}


def serve_document(*, user, document: Document, inline: bool = False) -> FileResponse:
    """Send a document's file if the user may see its matter; a 404 otherwise, as for a document that does not exist.

    The file is sent under its original name (RFC 5987 encoded) with its sniffed type, never sniffed again by the
    browser; anything that is not a plain viewable type is always an attachment.
    """
    require_role(user, document.matter, Role.VIEWER)
    if document.is_deleted:
        raise Http404("No such document.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing; run verify_evidence.")
    as_inline = inline and document.media_type in INLINE_TYPES
    response = FileResponse(handle, content_type=document.media_type)
    response["Content-Disposition"] = content_disposition_header(not as_inline, document.original_filename)
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
