"""A document's versions, as an event's: the history page (who, when, why, and field by field what changed), restoring
a version, and the confirmation that a soft delete and a restore go through (evidence.views.confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from evidence import diff, selectors
from evidence.models import Document, Role
from evidence.permissions import get_matter_for
from evidence.services import documents as document_services
from evidence.views import confirm
from evidence.views.matters import matter_context


def _document(matter, pk) -> Document:
    return get_object_or_404(selectors.documents_of(matter=matter), pk=pk)


def _version(document, history_id):
    try:
        return document.history.select_related("history_user").get(history_id=int(history_id))
    except (TypeError, ValueError, document.history.model.DoesNotExist) as error:
        raise Http404("No such version of this document.") from error


@login_required
@require_GET
def document_history(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    document = _document(matter, pk)
    records = selectors.document_versions(document=document)
    versions = diff.document_versions_with_changes(records, zone=matter.time_zone)
    return render(
        request,
        "evidence/documents/history.html",
        matter_context(request, matter, nav="documents", document=document, versions=versions),
    )


def delete_page(request, matter, document, form):
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Delete {document.exhibit_label} “{document.title}”?",
            action=reverse("document_delete", args=[matter.slug, document.pk]),
            cancel=reverse("document_detail", args=[matter.slug, document.pk]),
            button="Delete document",
            danger=True,
            explanation="Evidence is never destroyed: the file and its record are kept, hidden from lists and "
            "exports, and the document can be restored. Its history keeps your reason.",
        ),
        form,
        nav="documents",
    )


@login_required
@require_GET
def document_delete_confirm(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    if document.is_deleted:
        return redirect("document_detail", matter.slug, document.pk)
    return delete_page(request, matter, document, confirm.reason_form())


def _revert_page(request, matter, document, record, form):
    """What restoring `record` changes, from the document as it is now to the version, field by field."""
    zone = matter.time_zone
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Restore this version of {document.exhibit_label}?",
            action=reverse("document_revert", args=[matter.slug, document.pk]),
            cancel=reverse("document_history", args=[matter.slug, document.pk]),
            button="Restore this version",
            explanation="The document's details become again what they were in this version, saved as a new "
            "version; no version is erased. The file itself never changes.",
            changes=diff.changes(
                diff.snapshot_of_document(document, zone=zone),
                diff.snapshot_of_document(record, zone=zone),
                diff.DOCUMENT_FIELDS,
            ),
            hidden={"history_id": record.history_id},
        ),
        form,
        nav="documents",
    )


@login_required
@require_GET
def document_revert_confirm(request, slug, pk, history_id):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    return _revert_page(request, matter, document, _version(document, history_id), confirm.reason_form())


@login_required
@require_POST
def document_revert(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    document = _document(matter, pk)
    record = _version(document, request.POST.get("history_id"))
    form = confirm.reason_form(request.POST)
    if not form.is_valid():
        return _revert_page(request, matter, document, record, form)
    document_services.document_revert(
        document=document, history_id=record.history_id, user=request.user, reason=confirm.reason_of(form)
    )
    when = diff.display_time(record.history_date, matter.time_zone)
    messages.success(request, f"{document.exhibit_label}: the version saved {when} restored as a new version.")
    return redirect("document_history", matter.slug, document.pk)
