"""The timeline's "Import events": a spreadsheet of events into this matter, for its editors and owners.

The same form, preview, mapping of unknown columns and values, and apply as the admin's import, by the same steps
(evidence.importing.steps); these views only fix the matter from the address and render the app's pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from evidence.forms.admin import EventImportForm
from evidence.importing import steps
from evidence.models import Job, Role
from evidence.permissions import get_matter_for
from evidence.views.matters import matter_context

KINDS = (Job.Kind.PREVIEW_EVENTS, Job.Kind.IMPORT_EVENTS)


@login_required
@require_http_methods(["GET", "POST"])
def event_import(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    if request.method == "POST":
        form = EventImportForm(request.POST, request.FILES, user=request.user, matter=matter)
        if form.is_valid():
            job = steps.preview_start(user=request.user, matter=matter, form=form)
            if job is not None:
                return redirect("event_import_job", matter.slug, job.pk)
    else:
        form = EventImportForm(user=request.user, matter=matter)
    return render(request, "evidence/imports/events.html", matter_context(request, matter, form=form))


@login_required
@require_http_methods(["GET"])
def event_import_job(request, slug, pk):
    """A preview job's page until it is done, then the preview; an import job's page until the rows are written."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    job = steps.import_job(request, pk, KINDS)
    if job.matter_id != matter.pk:
        raise Http404("No such import.")
    is_preview = job.kind == Job.Kind.PREVIEW_EVENTS
    if is_preview and job.state == Job.State.DONE:
        context = steps.preview_context(request, token=job.options["token"], pending=steps.pending_of(job),
                                        matter=matter, preview=job.options["preview"])  # fmt: skip
        return _preview(request, matter, context)
    return render(
        request,
        "evidence/imports/job.html",
        matter_context(
            request, matter, job=job, is_preview=is_preview, unit="rows", percent=steps.job_percent(job),
            running=job.state in (Job.State.QUEUED, Job.State.RUNNING),
            title=f"Preview of {job.options.get('name')}" if is_preview else f"Import of {job.options.get('name')}",
            done_url=reverse("timeline", args=[matter.slug]), done_label="See the timeline",
            retry_url=reverse("event_import", args=[matter.slug]),
        ),
    )  # fmt: skip


@login_required
@require_POST
def event_import_confirm(request, slug):
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    outcome = steps.confirm(request, matter=matter)
    if outcome.preview is not None:
        return _preview(request, matter, outcome.preview)
    if outcome.job is not None:
        return redirect("event_import_job", matter.slug, outcome.job.pk)
    if outcome.refused is not None:
        messages.error(request, outcome.refused)
        return redirect("event_import", matter.slug)
    messages.success(request, outcome.done)
    return redirect("timeline", matter.slug)


def _preview(request, matter, context):
    """`context`: steps.preview_context's, of this matter."""
    return render(
        request,
        "evidence/imports/preview.html",
        matter_context(
            request, **context,
            confirm_url=reverse("event_import_confirm", args=[matter.slug]),
            restart_url=reverse("event_import", args=[matter.slug]),
        ),
    )  # fmt: skip
