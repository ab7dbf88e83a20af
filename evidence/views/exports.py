"""The chronology export: its options, then the file, built by a background job with a progress bar for large matters.

Every view starts from the matter the user is a member of; a job, its status and its result are looked up inside that
matter only, so a non-member gets a 404 for all of them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from evidence import selectors
from evidence.downloads import IntegrityFailure, serve_export
from evidence.forms.filters import ExportForm
from evidence.forms.matters import FilingSettingsForm
from evidence.models import Job, Role
from evidence.permissions import get_matter_for, job_role, may_export_privileged, require_role
from evidence.services.jobs import jobs_reap_stale
from evidence.services.matters import filing_settings_update
from evidence.views.access import address_of, integrity_failure_page
from evidence.views.matters import matter_context


@login_required
@require_http_methods(["GET", "POST"])
def export(request, slug):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    from evidence import (
        exporting,  # the exporters pull in WeasyPrint and pandas: loaded on first use only
    )

    privileged = may_export_privileged(request.user, matter)
    if request.method == "POST":
        form = ExportForm(request.POST, matter=matter, formats=exporting.FORMATS, privileged_allowed=privileged)
        if form.is_valid():
            data = form.cleaned_data
            options = exporting.ExportOptions(
                format=data["format"],
                filters=form.to_filters(),
                embed_exhibits=data["embed_exhibits"] and data["format"] == "pdf",
                paper=data["paper"],
                report=data["report"],
                version=data["version"],
                timeline=data["timeline"],
                signature=data["signature"],
                source_redlines=data["source_redlines"] and data["format"] == "pdf",
                sort=data["sort"],
            )
            try:
                job = exporting.export_job_start(matter=matter, user=request.user, options=options)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if job.state == Job.State.DONE:
                    messages.success(request, f"Export ready: {job.result_name}.")
                elif job.state == Job.State.FAILED:
                    messages.error(request, f"The export failed: {job.message or 'no reason given'}")
                else:
                    messages.info(request, "Export started. This page shows its progress; you can leave and come back.")
                return redirect("export_job", matter.slug, job.pk)
        messages.error(request, "The export was not started: check the options marked below.")
    else:
        initial = ExportForm.initial_from_query(request.GET)
        form = ExportForm(initial=initial, matter=matter, formats=exporting.FORMATS, privileged_allowed=privileged)
    recent = selectors.export_jobs(matter=matter, user=request.user)[:5]
    editions = selectors.editions_of(matter=matter, user=request.user)
    return render(
        request,
        "evidence/exports/form.html",
        matter_context(
            request,
            matter,
            nav="export",
            form=form,
            recent_jobs=recent,
            editions=editions,
            from_timeline=bool(request.GET),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def filing_settings(request, slug):
    """The matter's filing settings (citation form, signature block, the court's file size limit): its owners'."""
    matter = get_matter_for(request.user, slug, Role.OWNER)
    current = selectors.filing_settings_of(matter=matter)
    form = FilingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            filing_settings_update(
                matter=matter, user=request.user, reason="filing settings changed", **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Filing settings saved.")
            return redirect("export", matter.slug)
    return render(
        request, "evidence/exports/filing_settings.html", matter_context(request, matter, nav="export", form=form)
    )


def _job_for(request, slug, pk) -> Job:
    """A chronology export of the matter, or its archive (to its owners only: a 403 for other members)."""
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    kinds = (Job.Kind.EXPORT, Job.Kind.ARCHIVE)
    job = get_object_or_404(selectors.export_jobs(matter=matter, user=None, kinds=kinds), pk=pk)
    require_role(request.user, matter, job_role(job))
    return job


def _unit(job: Job) -> str:
    if job.kind == Job.Kind.ARCHIVE:
        return "records and files"
    return "files" if (job.options or {}).get("report") == "filing-package" else "events"


def job_status(job: Job) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "total": job.total,
        "message": job.message,
        "result_name": job.result_name if job.state == Job.State.DONE else "",
        "unit": _unit(job),
        "download_url": reverse("export_download", args=[job.matter.slug, job.pk])
        if job.state == Job.State.DONE and job.result
        else "",
    }


@login_required
@require_GET
def export_job(request, slug, pk):
    """The job's page; with `?format=json` (or an Accept header asking for JSON) its status, for the progress bar.
    A job whose worker died is failed here, with the reason, so the page never waits on it forever."""
    job = _job_for(request, slug, pk)
    if job.state in (Job.State.QUEUED, Job.State.RUNNING) and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    status = job_status(job)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(status)
        response["Cache-Control"] = "no-store"
        return response
    edition = selectors.editions_of(matter=job.matter, user=request.user).filter(job=job).first()
    return render(
        request,
        "evidence/exports/job.html",
        matter_context(request, job.matter, nav="export", job=job, status=status, edition=edition),
    )


@login_required
@require_GET
def export_download(request, slug, pk):
    """The job's file, to members of its matter only, always as an attachment."""
    job = _job_for(request, slug, pk)
    try:
        return serve_export(user=request.user, job=job, address=address_of(request))
    except IntegrityFailure as failure:
        return integrity_failure_page(request, job.matter, failure, label=job.result_name, nav="export")
