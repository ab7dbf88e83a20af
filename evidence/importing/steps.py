"""An event import as a person takes it in the browser, step by step, for the admin's import pages and the
timeline's alike: upload (the file is kept, not read) -> a preview job -> the preview with its mapping form ->
confirm, or check again with new choices -> the rows written (a large file by a background job).

The two sets of pages differ in their templates and addresses only: each calls these steps and renders or
redirects as its own. Which previews a user has pending lives in the session, keyed by the kept file's token.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from evidence.forms.imports import ImportMappingForm
from evidence.importing import UnusableInputError, import_events, read_table_isolated
from evidence.importing.mapping import Mapping
from evidence.importing.tasks import preview_data, start_import_job, start_preview_job
from evidence.importing.uploads import discard_upload, keep_upload, reading_upload, upload_kept
from evidence.models import Job, Matter, Role
from evidence.permissions import has_role
from evidence.services.jobs import jobs_reap_stale

SESSION_KEY = "evidence-imports"
ORDERS = {"auto": None, "month": False, "day": True}
EXPIRED = "This import preview has expired; upload the file again."


def preview_start(*, user, matter: Matter, form) -> Job | None:
    """Keep the upload of a valid EventImportForm and start its preview job; None (the form says why) when the file
    is over the import limit. The file is untrusted: it is only stored here, and read by the job."""
    upload = form.cleaned_data["file"]
    if upload.size > settings.IMPORT_MAX_BYTES:
        form.add_error("file", f"The file is larger than the import limit ({settings.IMPORT_MAX_BYTES:,} bytes).")
        return None
    token = keep_upload(upload, name=upload.name)
    order, sheet = form.cleaned_data["order"], form.cleaned_data["sheet"] or None
    return start_preview_job(matter=matter, user=user, token=token, name=upload.name, sheet=sheet, order=order,
                             day_first=ORDERS[order])  # fmt: skip


def import_job(request, pk, kinds) -> Job:
    """The import job of the URL, for its starter or an editor of its matter; a job whose worker died is marked so,
    for the page to say it instead of polling forever."""
    job = Job.objects.filter(pk=pk, kind__in=kinds).select_related("matter").first()
    if job is None or not (job.user_id == request.user.pk or has_role(request.user, job.matter, Role.EDITOR)):
        raise Http404("No such import.")
    if job.state in (Job.State.QUEUED, Job.State.RUNNING) and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def job_percent(job: Job) -> int:
    return int(100 * job.progress / job.total) if job.total else 0


def pending_of(job: Job) -> dict:
    """What the session keeps of a finished preview job: enough to confirm it, or to preview it again."""
    options = job.options
    return {"matter": job.matter_id, "name": options["name"], "sheet": options["sheet"], "order": options["order"],
            "rows": options["preview"]["data_rows"], "job": job.pk, "mapping": options.get("mapping", {})}  # fmt: skip


def preview_context(request, *, token: str, pending: dict, matter: Matter, preview: dict, form=None) -> dict:
    """The preview page's context: the mapping form while the file is kept, and whether it can be confirmed. The
    preview becomes the user's pending one."""
    kept = upload_kept(token)
    if kept:
        request.session.setdefault(SESSION_KEY, {})[token] = pending
        request.session.modified = True
    columns, values = (form or ImportMappingForm(preview=preview)).rows()
    return {
        "preview": preview,
        "token": token,
        "matter": matter,
        "counts": preview["counts"],
        "confirmable": preview["ok"] and kept,
        "spent": not kept,
        "mappable": kept and bool(columns or values),
        "mapping_columns": columns,
        "mapping_values": values,
        "background": preview["data_rows"] >= settings.IMPORT_BACKGROUND_ROWS,
        "order": pending["order"],
        "title": f"Preview: import {pending['name']} into {matter}",
    }


def pending_preview(request, token: str) -> tuple[dict, Matter]:
    """The user's pending preview of this token and its matter, which the user must still edit."""
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None:
        raise Http404(EXPIRED)
    matter = Matter.objects.filter(pk=pending["matter"]).first()
    if matter is None or not has_role(request.user, matter, Role.EDITOR):
        raise PermissionDenied
    return pending, matter


@dataclass
class Outcome:
    """What confirming a preview came to: its matter, and exactly one of the others."""

    matter: Matter
    preview: dict | None = None  # show this preview context again (the mapping was invalid, or the matter changed)
    job: Job | None = None  # a preview again (new choices) or a large import: its job's page follows
    done: str | None = None  # written: the summary said
    refused: str | None = None  # the file could not be read after all: say it, and start again


def confirm(request, *, matter: Matter | None = None) -> Outcome:
    """The preview form's POST (`token`, the mapping's choices, and "recheck" or "import") for the user's pending
    preview (of `matter` when a page is of one matter). New choices are previewed again before anything is written;
    a confirmed preview is spent."""
    token = request.POST.get("token", "")
    pending, pending_matter = pending_preview(request, token)
    if (matter is not None and pending_matter != matter) or not upload_kept(token):
        raise Http404(EXPIRED)
    matter = pending_matter
    preview = _previewed(pending)
    form = ImportMappingForm(request.POST, preview=preview)
    if not form.is_valid():
        return Outcome(matter=matter, preview=preview_context(request, token=token, pending=pending, matter=matter,
                                               preview=preview, form=form))  # fmt: skip
    request.session[SESSION_KEY].pop(token, None)  # this preview is spent: confirmed, or previewed again
    request.session.modified = True
    day_first = ORDERS[pending["order"]]
    given = Mapping.from_json(pending.get("mapping"))
    if "recheck" in request.POST or form.has_changed() or not preview["ok"]:
        # what the user chose changes the rows: they see the new preview before anything is written
        if "recheck" not in request.POST:
            messages.warning(request, "Your choices change what the import does: check the new preview.")
        job = start_preview_job(matter=matter, user=request.user, token=token, name=pending["name"],
                                sheet=pending["sheet"], order=pending["order"], day_first=day_first,
                                mapping=given.updated(form.changes()).to_json())  # fmt: skip
        return Outcome(matter=matter, job=job)
    if pending.get("rows", 0) >= settings.IMPORT_BACKGROUND_ROWS:
        job = start_import_job(matter=matter, user=request.user, token=token, name=pending["name"],
                               sheet=pending["sheet"], day_first=day_first, rows=pending["rows"],
                               mapping=given.to_json())  # fmt: skip
        return Outcome(matter=matter, job=job)
    try:
        with reading_upload(token) as path:
            table = read_table_isolated(path, name=pending["name"], sheet=pending["sheet"])
        result = import_events(table, matter=matter, user=request.user, day_first=day_first, mapping=given)
    except UnusableInputError as error:
        return Outcome(matter=matter, refused=str(error))
    finally:
        discard_upload(token)  # spent: written, refused, or changed since (the preview below is of the matter now)
    if not result.written:  # the matter changed since the preview: show what is wrong now
        return Outcome(matter=matter, preview=preview_context(request, token=token, pending=pending, matter=matter,
                                               preview=preview_data(result.plan)))  # fmt: skip
    return Outcome(matter=matter, done=f"Imported {pending['name']} into {matter}: {result.plan.summary()}.")


def _previewed(pending) -> dict:
    """The preview the user saw: its job keeps it (the session keeps only which job)."""
    job = Job.objects.filter(pk=pending.get("job"), kind=Job.Kind.PREVIEW_EVENTS).first()
    if job is None or "preview" not in job.options:
        raise Http404(EXPIRED)
    return job.options["preview"]
