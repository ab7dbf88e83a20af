"""The matter's tracked sources (a policy, an FAQ, a setting screen…): the list, a source with its versions along a
time line, creating and changing one, its soft delete and restore, and the matter's audiences. Viewers read; editors
write, always through evidence.services.sources with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.forms.errors import add_refusal
from evidence.forms.sources import AudienceForm, ReasonOnlyForm, SourceForm
from evidence.models import Audience, Role, TrackedSource
from evidence.permissions import get_matter_for
from evidence.selectors_sources import audiences_of, source_versions, sources_for_matter, versions_added_by
from evidence.services import sources as source_services
from evidence.views import confirm
from evidence.views.matters import matter_context


def source_context(request, matter, **extra) -> dict:
    return matter_context(request, matter, nav="sources", **extra)


ILLUSTRATIVE = (
    "Illustrative text, not the real wording: the versions of this source were written to show how the tool works."
)


def illustrative_notes(source) -> list[str]:
    """What a page shared with other records (a confirmation) says of a source whose versions are illustrative."""
    return [ILLUSTRATIVE] if source.is_illustrative else []


def get_source(matter, pk) -> TrackedSource:
    """A source of the matter, deleted or not (404 otherwise)."""
    return get_object_or_404(TrackedSource.objects.select_related("matter"), matter=matter, pk=pk)


@login_required
@require_GET
def source_list(request, slug):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    show_deleted = request.GET.get("deleted") == "1"
    sources = list(sources_for_matter(matter, include_deleted=show_deleted))
    for source in sources:
        source.ordered = source_versions(source)
    return render(
        request,
        "evidence/sources/list.html",
        source_context(request, matter, sources=sources, show_deleted=show_deleted),
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = source_services.source_create(
                matter=matter, user=request.user, reason=form.cleaned_data["reason"] or "source added", **form.values()
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"Tracked source “{source.name}” added. Add its versions next.")
            return redirect("source_detail", matter.slug, source.pk)
    return render(request, "evidence/sources/form.html", source_context(request, matter, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_source(matter, pk)
    if source.is_deleted:
        messages.error(request, f"“{source.name}” is deleted: restore it before editing it.")
        return redirect("source_detail", matter.slug, source.pk)
    form = SourceForm(request.POST or None, initial=SourceForm.initial_for(source), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            source_services.source_update(
                source=source, user=request.user, reason=form.cleaned_data["reason"], **form.values()
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” saved.")
            return redirect("source_detail", matter.slug, source.pk)
    return render(request, "evidence/sources/form.html", source_context(request, matter, form=form, source=source))


@login_required
@require_GET
def source_detail(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    source = get_source(matter, pk)
    versions = source_versions(source)
    added_by = versions_added_by(versions)
    for version in versions:
        version.added_by = added_by.get(version.pk)
    deleted = [v for v in source_versions(source, include_deleted=True) if v.is_deleted]
    history = source.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(
        request,
        "evidence/sources/detail.html",
        source_context(request, matter, source=source, versions=versions, deleted_versions=deleted, history=history),
    )


def _delete_page(request, matter, source, form):
    return confirm.confirm_page(
        request,
        matter,
        confirm.Confirmation(
            title=f"Delete the tracked source “{source.name}”?",
            action=reverse("source_delete", args=[matter.slug, source.pk]),
            cancel=reverse("source_detail", args=[matter.slug, source.pk]),
            button="Delete source",
            danger=True,
            notes=illustrative_notes(source),
            explanation="The source and its versions are hidden from the list and can be restored; their documents "
            "stay evidence of the matter. The history keeps your reason.",
        ),
        form,
        nav="sources",
    )


@login_required
@require_GET
def source_delete_confirm(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    return _delete_page(request, matter, get_source(matter, pk), confirm.reason_form())


@login_required
@require_POST
def source_delete(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_source(matter, pk)
    return confirm.delete_with_reason(
        request,
        page=lambda form: _delete_page(request, matter, source, form),
        delete=lambda reason: source_services.source_delete(source=source, user=request.user, reason=reason),
        done=f"“{source.name}” deleted. It is kept and can be restored from its page.",
        then=redirect("source_detail", matter.slug, source.pk),
    )


@login_required
@require_POST
def source_restore(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_source(matter, pk)
    return confirm.restore_with_reason(
        request,
        restore=lambda reason: source_services.source_restore(source=source, user=request.user, reason=reason),
        done=f"“{source.name}” restored.",
        then=redirect("source_detail", matter.slug, source.pk),
    )


# Audiences ----------------------------------------------------------------------------------------------------------


def _audiences_page(request, matter, *, form=None, status=200):
    audiences = audiences_of(matter).prefetch_related("versions")
    return render(
        request,
        "evidence/sources/audiences.html",
        source_context(request, matter, audiences=audiences, form=form or AudienceForm()),
        status=status,
    )


@login_required
@require_GET
def audience_list(request, slug):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    return _audiences_page(request, matter)


@login_required
@require_POST
def audience_new(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    form = AudienceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            audience = source_services.audience_create(
                matter=matter, user=request.user, name=data["name"], description=data["description"],
                reason=data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"Audience “{audience.name}” added.")
            return redirect("audience_list", matter.slug)
    return _audiences_page(request, matter, form=form, status=400)


@login_required
@require_POST
def audience_retire(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    audience = get_object_or_404(Audience, matter=matter, pk=pk)
    form = ReasonOnlyForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, f"“{audience.name}” was not changed: say why; the history keeps the reason.")
        return redirect("audience_list", matter.slug)
    retire = audience.retired_at is None
    source_services.audience_retire(
        audience=audience, user=request.user, reason=form.cleaned_data["reason"], retired=retire
    )
    messages.success(
        request, f"“{audience.name}” is {'retired: no longer offered for new versions' if retire else 'back in use'}."
    )
    return redirect("audience_list", matter.slug)
