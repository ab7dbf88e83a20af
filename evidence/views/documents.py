"""Documents (evidence): list, upload of several files at once, detail with preview, metadata edit, delete/restore,
the one download path, and e-mail evidence (an uploaded .eml proposes an event the paralegal confirms).

Viewers look; editors upload, edit, delete and log events. Every view starts from get_matter_for, so a non-member gets
a 404 for the matter and everything in it.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence import email_evidence, integrity, selectors
from evidence.actor_matching import email_participants
from evidence.downloads import IntegrityFailure, serve_document
from evidence.forms.document_filters import DocumentFilterForm
from evidence.forms.documents import DocumentForm, EmailEventForm, UploadForm
from evidence.forms.errors import add_refusal
from evidence.forms.events import ReasonForm
from evidence.models import Document, Role
from evidence.permissions import get_matter_for
from evidence.services import documents as document_services
from evidence.services.access import access_document_viewed
from evidence.services.email import email_event_create_once, email_intake
from evidence.text import sentence
from evidence.views import confirm, document_versions
from evidence.views.access import address_of, integrity_failure_page
from evidence.views.document_ocr import can_ocr, text_job
from evidence.views.events import already_saved, grid_columns
from evidence.views.matters import matter_context

EXCERPT_CHARS = 5000
DOCUMENTS_PAGE_SIZE = 100
PREVIEW_IMAGES = {"image/png", "image/jpeg", "image/gif"}
# An upload's lines as messages: "stored" is a success; an "actor" line says whom an e-mail's participant matched.
LINE_LEVELS = {"error": messages.ERROR, "duplicate": messages.INFO, "next": messages.INFO, "actor": messages.INFO}


def _document(matter, pk) -> Document:
    return get_object_or_404(selectors.documents_of(matter=matter), pk=pk)


def _context(request, matter, **extra) -> dict:
    return matter_context(request, matter, nav="documents", **extra)


@login_required
@require_GET
def document_list(request, slug):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = DocumentFilterForm(request.GET or None)
    form.is_valid()  # an invalid field is shown as an error; the others still filter
    filters = form.to_filters()
    # The grid (one line per document, the timeline grid's pieces) or the detailed list, each user's choice. The grid
    # shows how many events cite each document, counted by the database; the list shows the citations themselves.
    grid = selectors.grid_settings_for(user=request.user, matter=matter)
    listed = selectors.documents_filtered(matter=matter, filters=filters)
    if grid.document_layout == "grid":
        listed = selectors.documents_with_cited_count(listed.prefetch_related(None))
    page = Paginator(listed, DOCUMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    checks = selectors.latest_integrity_checks(documents=documents)
    found = selectors.document_search_snippets(matter=matter, documents=documents, filters=filters)
    for document in documents:
        document.integrity_check = checks.get(document.pk)
        document.search_snippet = found.get(document.pk)
        document.type_label = selectors.document_kind(document.media_type)
    sort = filters.sort or ("" if filters.text else "exhibit")
    return render(
        request,
        "evidence/documents/list.html",
        _context(
            request, matter, documents=documents, page=page, form=form, filters=filters,
            show_deleted=filters.include_deleted, grid=grid, layout=grid.document_layout, sort=sort,
            columns=grid_columns(grid.document_columns, sort, DOCUMENT_COLUMN_HEADINGS),
            densities=DOCUMENT_DENSITIES, density=grid.document_density, document_layouts=DOCUMENT_LAYOUTS,
        ),
    )  # fmt: skip


# The documents grid's columns: (name, heading, optional), as the timeline's (evidence.views.events.grid_columns).
DOCUMENT_COLUMN_HEADINGS = (
    ("exhibit", "Exhibit", False), ("title", "Title", False), ("date", "Date", True), ("author", "Author", True),
    ("type", "Type", True), ("size", "Size", True), ("pages", "Pages", True), ("cited", "Cited by", True),
    ("privileged", "Privileged", True),
)  # fmt: skip
DOCUMENT_LAYOUTS = [("grid", "Grid"), ("list", "Detailed list")]
DOCUMENT_DENSITIES = [
    ("compact", "Compact: one line per document"),
    ("comfortable", "Comfortable: whole cells, wrapped"),
]


# Upload ------------------------------------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _intake_one(request, matter, upload) -> list[dict]:
    """Take in one uploaded file (an .eml with its attachments); the lines to report for it."""
    name = upload.name
    reason = "uploaded in the documents page"
    try:
        if name.lower().endswith(".eml"):
            outcome = email_intake(matter=matter, user=request.user, file=upload, filename=name, reason=reason)
            result, parsed, attachments = outcome.message, outcome.parsed, outcome.attachments
        else:
            result = document_services.document_intake(
                matter=matter, user=request.user, file=upload, filename=name, reason=reason
            )
            parsed, attachments = None, []
    except ValidationError as error:
        return [{"status": "error", "text": " ".join(error.messages), "url": ""}]
    lines = [_line(matter, name, result)]
    if parsed is not None:
        lines[0]["email_url"] = reverse("email_event", args=[matter.slug, result.document.pk])
        for participant in email_participants(matter=matter, parsed=parsed):
            label = f"{result.document.exhibit_label} {participant.roles_text}"
            said = f"{label} {participant.sentence_before_confirmation}"
            lines.append({"status": "actor", "text": said, "url": ""})
        lines.append(
            {
                "status": "next",
                "text": f"Review and confirm the event proposed by the e-mail {result.document.exhibit_label}",
                "url": lines[0]["email_url"],
            }
        )
    for attachment in attachments:
        if attachment.error:
            lines.append({"status": "error", "text": f"Attachment: {attachment.error}", "url": ""})
        else:
            line = _line(matter, attachment.filename, attachment.result)
            line["text"] += f" (attachment of {result.document.exhibit_label})"
            lines.append(line)
    return lines


def _line(matter, name, result) -> dict:
    document = result.document
    url = reverse("document_detail", args=[matter.slug, document.pk])
    if result.created:
        return {"status": "stored", "text": f"{document.exhibit_label} stored: {name}", "url": url}
    return {"status": "duplicate", "text": f"{name} is already {document.exhibit_label}, not stored twice", "url": url}


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, slug):
    """Several files at once; each is its own intake, so one bad file does not block the others.

    A plain form POST gets the results as messages on the next page (the e-mail's proposal when a single .eml was
    sent, else the list); the drag-and-drop script (static/js/upload.js) gets them as JSON.
    """
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST":
        if not form.is_valid():
            if _wants_json(request):
                return JsonResponse({"error": " ".join(form.errors.get("files", ["Upload failed."]))}, status=400)
            messages.error(request, "Nothing was uploaded: choose at least one file.")
        else:
            lines = [line for upload in form.cleaned_data["files"] for line in _intake_one(request, matter, upload)]
            emails = [line["email_url"] for line in lines if line.get("email_url")]
            single_email = len(form.cleaned_data["files"]) == 1 and len(emails) == 1
            next_url = emails[0] if single_email else reverse("document_list", args=[matter.slug])
            if single_email:  # the page goes to the proposal itself: it is offered once, not also as a line
                lines = [line for line in lines if line["status"] != "next"]
            if _wants_json(request):
                matter.refresh_from_db(fields=["last_exhibit_number"])
                return JsonResponse(
                    {
                        "results": [{k: line[k] for k in ("status", "text", "url")} for line in lines],
                        "next": next_url,
                        "next_text": "Review the proposed event" if single_email else "Go to the documents",
                        "next_exhibit": _next_exhibit(matter),
                    }
                )
            for line in lines:
                if line["status"] in ("next", "actor") and single_email:
                    continue  # the proposal's page, shown next, says them
                level = LINE_LEVELS.get(line["status"], messages.SUCCESS)
                messages.add_message(request, level, sentence(line["text"]))
            return redirect(next_url)
    return render(
        request,
        "evidence/documents/upload.html",
        _context(
            request, matter, form=form, next_exhibit=_next_exhibit(matter), max_size=settings.EVIDENCE_MAX_UPLOAD_BYTES
        ),
    )


def _next_exhibit(matter) -> str:
    """The label document_intake will give the next new file (the page says it, and updates it after an upload)."""
    return f"{matter.exhibit_prefix}{matter.last_exhibit_number + 1}"


# Detail, edit, delete, restore ---------------------------------------------------------------------------------


@login_required
@require_GET
def document_detail(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    document = _document(matter, pk)
    access_document_viewed(user=request.user, document=document, address=address_of(request))
    status = integrity.document_status(document)
    citations = selectors.citations_of_document(document=document)
    preview, excerpt = "", ""
    if document.media_type == "application/pdf":
        preview = "pdf"
    elif document.media_type in PREVIEW_IMAGES:
        preview = "image"
        excerpt = document.extracted_text[:EXCERPT_CHARS]  # its OCR text, under the picture
    else:
        excerpt = document.extracted_text[:EXCERPT_CHARS]
    is_email = email_evidence.looks_like_email(document)
    history = document.history.select_related("history_user").order_by("-history_date", "-history_id")[:20]
    return render(
        request,
        "evidence/documents/detail.html",
        _context(
            request,
            matter,
            document=document,
            citations=citations,
            preview=preview,
            excerpt=excerpt,
            excerpt_cut=len(document.extracted_text) > EXCERPT_CHARS,
            is_email=is_email,
            attachments=_attachments_of(matter, document) if is_email else [],
            history=history,
            integrity=status,
            text_job=text_job(document),
            ocr_copy=selectors.ocr_copy_of(document=document),
            can_ocr=can_ocr(document),
        ),
    )


def _new_actors_said(participants, event) -> list[str]:
    """ "New actor “privacy@linkedin.com” added: organisation.", for each participant the event added as an actor."""
    named = {a.name.casefold(): a for a in event.actors.all()}
    return [
        f"New actor “{actor.name}” added: {actor.get_kind_display().lower()}"
        + (f", of {actor.organisation}" if actor.organisation else "")
        + (f", {actor.emails}." if actor.emails else ".")
        for p in participants
        if p.is_new and (actor := named.get(p.name.casefold())) is not None
    ]


def _attachments_of(matter, document) -> list[dict]:
    """The message's attachments, each with the document it became (matched by content hash), if it was stored."""
    try:
        parsed = email_evidence.read_stored(document)
    except (ValidationError, FileNotFoundError, OSError):
        return []
    hashes = {a.filename: hashlib.sha256(a.content).hexdigest() for a in parsed.attachments}
    stored = selectors.documents_by_hash(matter=matter, hashes=hashes.values())
    return [
        {
            "filename": a.filename,
            "document": stored.get(hashes[a.filename]),
            "why": "empty" if not a.content else "not taken in",
        }
        for a in parsed.attachments
    ]


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    if document.is_deleted:
        messages.error(request, f"{document.exhibit_label} is deleted: restore it before editing it.")
        return redirect("document_detail", matter.slug, document.pk)
    with timezone.override(matter.time_zone):  # a capture time typed without a zone is the matter's local time
        form = DocumentForm.for_document(document, data=request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                document_services.document_update(
                    document=document,
                    user=request.user,
                    reason=form.cleaned_data["reason"].strip() or "edited in the documents page",
                    date=form.cleaned_data["date"],
                    **form.changes(),
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, f"{document.exhibit_label} saved.")
                return redirect("document_detail", matter.slug, document.pk)
        if request.method == "POST":
            messages.error(request, "Nothing was saved: correct the fields marked below.")
        return render(request, "evidence/documents/edit.html", _context(request, matter, document=document, form=form))


@login_required
@require_POST
def document_delete(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    return confirm.delete_with_reason(
        request,
        page=lambda form: document_versions.delete_page(request, matter, document, form),
        delete=lambda reason: document_services.document_delete(document=document, user=request.user, reason=reason),
        done=f"{document.exhibit_label} deleted. It is kept and can be restored from its page.",
        then=redirect("document_detail", matter.slug, document.pk),
    )


@login_required
@require_POST
def document_restore(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    reason = ReasonForm.reason_from(request.POST, default="restored in the documents page")
    document_services.document_restore(document=document, user=request.user, reason=reason)
    messages.success(request, f"{document.exhibit_label} restored.")
    return redirect("document_detail", matter.slug, document.pk)


@login_required
@require_GET
@xframe_options_sameorigin  # the detail page shows PDFs and images in a frame of its own origin
def document_file(request, slug, pk):
    matter = get_matter_for(request.user, slug)
    document = _document(matter, pk)
    try:
        return serve_document(
            user=request.user, document=document, inline=request.GET.get("inline") == "1", address=address_of(request)
        )
    except IntegrityFailure as failure:
        return integrity_failure_page(request, matter, failure, label=document.exhibit_label)


# E-mail evidence -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def email_event(request, slug, pk):
    """The event an uploaded e-mail proposes, as a pre-filled form; saved (citing the message) only when confirmed."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    if document.is_deleted or not email_evidence.looks_like_email(document):
        raise Http404("This document is not an e-mail message.")
    try:
        parsed = email_evidence.read_stored(document)
    except (ValidationError, FileNotFoundError, OSError):
        messages.error(request, f"{document.exhibit_label} could not be read as an e-mail message.")
        return redirect("document_detail", matter.slug, document.pk)
    participants = email_participants(matter=matter, parsed=parsed)
    proposal = email_evidence.propose_event(parsed, actors=[p.name for p in participants])
    if request.method == "POST":
        form = EmailEventForm(request.POST, participants=participants)
        if form.is_valid():
            data = form.cleaned_data
            try:
                event, created = email_event_create_once(
                    submission_token=data["submission_token"],
                    matter=matter,
                    user=request.user,
                    document=document,
                    date=data["date"],
                    title=data["title"],
                    kind=data["kind"],
                    actors=data["actors"],
                    description=data["description"],
                    pinpoint=data["pinpoint"],
                    reason=f"logged from the e-mail {document.exhibit_label}",
                    participants=participants,
                    kinds=form.kinds(),
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                if not created:  # the same confirmation sent again: nothing new was saved
                    already_saved(request, matter, event)
                    return redirect("event_detail", matter.slug, event.pk)
                messages.success(request, f"Event logged from the e-mail, citing {document.exhibit_label}.")
                for line in _new_actors_said(participants, event):
                    messages.info(request, line)
                return redirect("event_detail", matter.slug, event.pk)
        messages.error(request, "The event was not saved: correct the fields marked below.")
    else:
        form = EmailEventForm.from_proposal(proposal, participants=participants)
    return render(
        request,
        "evidence/documents/email_event.html",
        _context(
            request,
            matter,
            document=document,
            form=form,
            proposal=proposal,
            participants=participants,
            attachments=_attachments_of(matter, document),
        ),
    )
