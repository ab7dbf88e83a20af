"""The document viewer: a PDF page by page (pdf.js, vendored under static/vendor/pdfjs), an image, or a text, an HTML
page or an e-mail as plain paragraphs (never the file's own markup or scripts), opened where a citation's pinpoint
points (`?pin=p. 3`, evidence.pinpoints). Editors cite the page being read on an event, or start a new event from
selected text, through the event form (`document_cite`).

The file itself comes through the one download path (document_file), which checks the role again and logs the access.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from evidence import email_evidence, integrity, pinpoints, selectors
from evidence.forms.events import FromViewerForm
from evidence.models import Role
from evidence.permissions import get_matter_for
from evidence.services.access import access_document_viewed
from evidence.views.access import address_of
from evidence.views.documents import PREVIEW_IMAGES, _attachments_of, _document
from evidence.views.matters import matter_context

# A text shown on the page is cut here (the whole file stays downloadable): a browser lays out a few hundred thousand
# characters of paragraphs quickly, not the five million a text may hold.
TEXT_SHOWN_CHARS = 400_000


def viewer_mode(document) -> str:
    if document.media_type == "application/pdf":
        return "pdf"
    if document.media_type in PREVIEW_IMAGES:
        return "image"
    if email_evidence.looks_like_email(document):
        return "email"
    return "text" if document.extracted_text else "none"


@login_required
@require_GET
def document_viewer(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    document = _document(matter, pk)
    access_document_viewed(user=request.user, document=document, address=address_of(request))
    status = integrity.document_status(document)
    mode = viewer_mode(document)
    if document.is_deleted or status.state == "failed":
        mode = "withheld"
    email, text = None, document.extracted_text
    if mode == "email":
        try:
            email = email_evidence.read_stored(document)
            text = email.body
        except (ValidationError, FileNotFoundError, OSError):
            mode = "text" if text else "none"  # kept as evidence though unreadable as mail: its text, if any
    pinpoint = request.GET.get("pin", "")[:100]
    place = pinpoints.place_of(document, pinpoint, text=text)
    if not place.page and not place.paragraph and (page := request.GET.get("page", "")).isdigit():
        place = pinpoints.Place(page=int(page))
    context = {
        "document": document,
        "mode": mode,
        "integrity": status,
        "pinpoint": pinpoint.strip(),
        "place": place,
        "email": email,
        "attachments": _attachments_of(matter, document) if email else [],
    }
    if mode in ("text", "email"):
        context["paragraphs"] = pinpoints.text_paragraphs(text[:TEXT_SHOWN_CHARS])
        context["text_cut"] = len(text) > TEXT_SHOWN_CHARS
    page = matter_context(request, matter, nav="documents", **context)
    if page["can_edit"] and not document.is_deleted:
        page["events"] = selectors.events_to_cite(matter=matter)
    return render(request, "evidence/documents/viewer.html", page)


@login_required
@require_GET
def document_cite(request, slug, pk):
    """The viewer's "cite" form: to the event form of the chosen event (or of a new one), prefilled with the
    citation (and the selected text as a new event's description). Nothing is saved here."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    query = {"cite": document.pk, "pinpoint": request.GET.get("pinpoint", "")[:100]}
    target = request.GET.get("event", "new")
    if target == "new" or not target.isdigit():
        description = request.GET.get("description", "")[: FromViewerForm.DESCRIPTION_MAX]
        query["description"] = description
        return redirect(reverse("event_new", args=[matter.slug]) + "?" + urlencode(query))
    event = selectors.events_to_cite(matter=matter).filter(pk=int(target)).first()
    if event is None:  # another matter's event, or a deleted one: start a new event instead of guessing
        return redirect(reverse("event_new", args=[matter.slug]) + "?" + urlencode(query))
    return redirect(reverse("event_edit", args=[matter.slug, event.pk]) + "?" + urlencode(query))
