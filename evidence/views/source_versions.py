"""A tracked source's versions: adding one (a document of the matter, or a file taken in through the document intake),
a version's page (its document, capture, dates, audiences, hash and who added it, and the event it proposes),
changing it, its soft delete and restore. The event a version proposes opens the event form filled in from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.forms.errors import add_refusal
from evidence.forms.sources import VersionEditForm, VersionForm
from evidence.models import Role, SourceVersion
from evidence.permissions import get_matter_for
from evidence.selectors_sources import (
    audiences_of,
    documents_for_versions,
    source_versions,
    version_history,
    version_of,
)
from evidence.services import sources as source_services
from evidence.views import confirm
from evidence.views.sources import get_source, illustrative_notes, source_context


def _version(matter, source, pk) -> SourceVersion:
    try:
        version = version_of(matter, pk)
    except SourceVersion.DoesNotExist as error:
        raise Http404("No such version.") from error
    if version.source_id != source.pk:
        raise Http404("No such version of this source.")
    return version


def _editable_version(request, slug, pk, version):
    """The matter (for an editor), the source and its version a URL names."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_source(matter, pk)
    return matter, source, _version(matter, source, version)


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_source(matter, pk)
    if source.is_deleted:
        messages.error(request, f"“{source.name}” is deleted: restore it before adding a version.")
        return redirect("source_detail", matter.slug, source.pk)
    documents = documents_for_versions(matter).exclude(source_versions__source=source)
    initial = {"document": request.GET.get("document")} if (request.GET.get("document") or "").isdigit() else {}
    with timezone.override(matter.time_zone):  # a capture time typed without a zone is the matter's local time
        form = VersionForm(
            request.POST or None, request.FILES or None, initial=initial, documents=documents,
            audiences=audiences_of(matter, offered=True),
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            reason = data["reason"] or "version added"
            try:
                if data["document"] is not None:
                    version = source_services.version_add(
                        source=source, document=data["document"], user=request.user, reason=reason,
                        **form.version_values(),
                    )  # fmt: skip
                else:
                    upload = data["upload"]
                    version = source_services.version_add_upload(
                        source=source, file=upload, filename=upload.name, title=data["title"], user=request.user,
                        reason=reason, **form.version_values(),
                    )  # fmt: skip
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request, f"{version.document.exhibit_label} added as a version of “{source.name}”. "
                    "Review the event it proposes below.",
                )  # fmt: skip
                return redirect("version_detail", matter.slug, source.pk, version.pk)
    return render(
        request, "evidence/sources/version_form.html", source_context(request, matter, source=source, form=form)
    )


@login_required
@require_GET
def version_detail(request, slug, pk, version):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    source = get_source(matter, pk)
    version = _version(matter, source, version)
    ordered = source_versions(source)
    place = next((i for i, v in enumerate(ordered) if v.pk == version.pk), None)
    history = version_history(version)
    first = history[-1] if history else None
    proposal = source_services.proposed_version_event(version) if not version.is_deleted else None
    return render(
        request,
        "evidence/sources/version.html",
        source_context(
            request, matter, source=source, version=version, history=history, added=first, proposal=proposal,
            number=place + 1 if place is not None else None, count=len(ordered),
            previous=ordered[place - 1] if place else None,
            next=ordered[place + 1] if place is not None and place + 1 < len(ordered) else None,
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request, slug, pk, version):
    matter, source, version = _editable_version(request, slug, pk, version)
    if version.is_deleted:
        messages.error(request, "This version is deleted: restore it before editing it.")
        return redirect("version_detail", matter.slug, source.pk, version.pk)
    with timezone.override(matter.time_zone):
        form = VersionEditForm(
            request.POST or None, initial=VersionEditForm.initial_for(version),
            audiences=audiences_of(matter).filter(Q(retired_at__isnull=True) | Q(versions=version)).distinct(),
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                source_services.version_update(
                    version=version, user=request.user, reason=form.cleaned_data["reason"], **form.version_values()
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, f"Version {version.document.exhibit_label} saved.")
                return redirect("version_detail", matter.slug, source.pk, version.pk)
    return render(
        request,
        "evidence/sources/version_form.html",
        source_context(request, matter, source=source, version=version, form=form),
    )


def _delete_page(request, matter, source, version, form):
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Delete version {version.document.exhibit_label} of “{source.name}”?",
            action=reverse("version_delete", args=[matter.slug, source.pk, version.pk]),
            cancel=reverse("version_detail", args=[matter.slug, source.pk, version.pk]),
            button="Delete version",
            danger=True,
            notes=illustrative_notes(source),
            explanation=f"The version leaves the source's time line and can be restored; "
            f"{version.document.exhibit_label} stays evidence of the matter. The history keeps your reason.",
        ),
        form,
        nav="sources",
    )


@login_required
@require_GET
def version_delete_confirm(request, slug, pk, version):
    matter, source, version = _editable_version(request, slug, pk, version)
    return _delete_page(request, matter, source, version, confirm.reason_form())


@login_required
@require_POST
def version_delete(request, slug, pk, version):
    matter, source, version = _editable_version(request, slug, pk, version)
    return confirm.delete_with_reason(
        request,
        page=lambda form: _delete_page(request, matter, source, version, form),
        delete=lambda reason: source_services.version_delete(version=version, user=request.user, reason=reason),
        done=f"Version {version.document.exhibit_label} deleted. It can be restored from its page.",
        then=redirect("version_detail", matter.slug, source.pk, version.pk),
    )


@login_required
@require_POST
def version_restore(request, slug, pk, version):
    matter, source, version = _editable_version(request, slug, pk, version)
    return confirm.restore_with_reason(
        request,
        restore=lambda reason: source_services.version_restore(version=version, user=request.user, reason=reason),
        done=f"Version {version.document.exhibit_label} restored.",
        then=redirect("version_detail", matter.slug, source.pk, version.pk),
    )


def proposed_event_initial(matter, version_id) -> tuple[dict, list[dict]] | None:
    """The event form's fields and citation rows filled in from the event a live version proposes (the event form's
    ?version=ID); None when there is no such version in the matter."""
    if not (version_id or "").isdigit():
        return None
    try:
        version = version_of(matter, int(version_id), include_deleted=False)
    except SourceVersion.DoesNotExist:
        return None
    proposal = source_services.proposed_version_event(version)
    initial = {
        "date": proposal["date"],
        "title": proposal["title"],
        "description": proposal["description"],
        "kind": proposal["kind"],
        "reason": f"proposed by version {version.document.exhibit_label} of {version.source.name}"[:100],
    }
    citations = [{"document": d, "pinpoint": p, "note": n} for d, p, n in proposal["citations"]]
    return initial, citations
