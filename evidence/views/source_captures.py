"""The upload of a capture file (WARC, WACZ, or a ZIP of captured files with a manifest) on a tracked source's page,
imported by a worker (evidence.importing.tasks.import_captures_task), and the page that follows its job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from evidence.forms.source_captures import CaptureImportForm
from evidence.importing.tasks import start_capture_import_job
from evidence.importing.uploads import keep_upload
from evidence.models import Job, Role, TrackedSource
from evidence.permissions import get_matter_for
from evidence.services.jobs import jobs_reap_stale
from evidence.views.exports import job_status
from evidence.views.matters import matter_context


def _source(matter, pk) -> TrackedSource:
    return get_object_or_404(TrackedSource.objects.alive(), matter=matter, pk=pk)


@login_required
@require_POST
def source_captures_import(request, slug, pk):
    """Keep the upload in the storage and start the job: a crawl may take longer to read than a request lasts."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = _source(matter, pk)
    form = CaptureImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Nothing was imported: " + " ".join(form.errors.get("file", ["choose a file."])))
        return redirect("source_detail", matter.slug, source.pk)
    upload = form.cleaned_data["file"]
    token = keep_upload(upload, name=upload.name)
    job = start_capture_import_job(source=source, user=request.user, token=token, name=upload.name)
    return redirect("source_captures_job", matter.slug, source.pk, job.pk)


@login_required
@require_GET
def source_captures_job(request, slug, pk, job):
    """The import's progress and, once done, what it added, reused, skipped or refused; `?format=json` gives its
    status for the progress bar. A job whose worker died is failed here, so the page never waits on it forever."""
    matter = get_matter_for(request.user, slug, Role.EDITOR)
    source = get_object_or_404(TrackedSource, matter=matter, pk=pk)
    job = get_object_or_404(Job, matter=matter, kind=Job.Kind.IMPORT_CAPTURES, options__source=source.pk, pk=job)
    if job.state in (Job.State.QUEUED, Job.State.RUNNING) and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    status = {**job_status(job), "unit": "captures"}
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(status)
        response["Cache-Control"] = "no-store"
        return response
    context = matter_context(request, matter, nav="sources", source=source, job=job, status=status,
                             result=(job.options or {}).get("result"))  # fmt: skip
    return render(request, "evidence/sources/captures_job.html", context)
