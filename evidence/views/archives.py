"""The matter's archive, for its owners: started from the matter's page, built by a background job whose page (the
export job page) offers the ZIP through the one download path."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from evidence.models import Job
from evidence.permissions import ARCHIVE_ROLE, get_matter_for


@login_required
@require_POST
def matter_archive(request, slug):
    matter = get_matter_for(request.user, slug, ARCHIVE_ROLE)
    from evidence.archive import archive_job_start

    job = archive_job_start(matter=matter, user=request.user)
    if job.state == Job.State.FAILED:
        messages.error(request, f"The archive failed: {job.message or 'no reason given'}")
    elif job.state != Job.State.DONE:
        messages.info(
            request, "The archive is being written. This page shows its progress; you can leave and come back."
        )
    return redirect("export_job", matter.slug, job.pk)
