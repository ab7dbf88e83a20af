"""The admin's bulk imports, as views of the event and document admins (registered through `get_urls`).

Events: upload -> preview of every row as it will be stored, computed by a background job (the page shows its
progress; no web process parses the untrusted file) -> confirm (large files in the background too). Documents: a ZIP
of files plus manifest.csv, checked or imported by a background job whose page shows the result. Only a matter's
editors and owners may import into it, and the matter choice lists only theirs. The views translate the request and
call evidence.importing; they write nothing themselves.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from evidence.forms.admin import DocumentImportForm, EventImportForm
from evidence.forms.imports import ImportMappingForm
from evidence.importing import UnusableInputError, import_events, read_table_isolated
from evidence.importing.mapping import Mapping
from evidence.importing.tasks import preview_data, start_document_import_job, start_import_job, start_preview_job
from evidence.importing.uploads import discard_upload, keep_upload, reading_upload, upload_kept
from evidence.models import Job, Matter, Role
from evidence.permissions import has_role, require_role
from evidence.services.jobs import jobs_reap_stale

SESSION_KEY = "evidence-imports"
ORDERS = {"auto": None, "month": False, "day": True}


class _ImportAdminMixin:
    def _import_context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def _job(self, request, pk, kinds) -> Job:
        """The import job of the URL, for its starter or an editor of its matter; a job whose worker died is marked
        so, for the page to say it instead of polling forever."""
        job = Job.objects.filter(pk=pk, kind__in=kinds).select_related("matter").first()
        if job is None or not (job.user_id == request.user.pk or has_role(request.user, job.matter, Role.EDITOR)):
            raise Http404("No such import.")
        if job.state in (Job.State.QUEUED, Job.State.RUNNING) and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
            job.refresh_from_db()
        return job

    def _job_page(self, request, job, title, **extra):
        """The page of a running or finished import job: its progress, its message, and where to go next."""
        name = self.model._meta.model_name
        running = job.state in (Job.State.QUEUED, Job.State.RUNNING)
        return TemplateResponse(
            request,
            "admin/evidence/import_job.html",
            self._import_context(
                request, title, job=job, running=running,
                percent=int(100 * job.progress / job.total) if job.total else 0,
                done_url=reverse(f"admin:evidence_{name}_changelist") + f"?matter__id__exact={job.matter_id}",
                done_label=f"See the {self.model._meta.verbose_name_plural}",
                retry_url=reverse(f"admin:evidence_{name}_import") + f"?matter={job.matter_id}",
                **extra,
            ),
        )  # fmt: skip

    def _require_import_permission(self, request):
        """An import adds and changes records: the model permissions first, then the role in the matter chosen."""
        name = self.model._meta.model_name
        if not request.user.has_perms([f"evidence.add_{name}", f"evidence.change_{name}"]):
            raise PermissionDenied


class EventImportAdminMixin(_ImportAdminMixin):
    """Adds "Import events" to the event admin."""

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="evidence_event_import"),
            path("import/confirm/", self.admin_site.admin_view(self.import_confirm_view),
                 name="evidence_event_import_confirm"),
            path("import/job/<int:pk>/", self.admin_site.admin_view(self.import_job_view),
                 name="evidence_event_import_job"),
        ] + super().get_urls()  # fmt: skip

    def import_view(self, request):
        self._require_import_permission(request)
        if request.method == "POST":
            form = EventImportForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                matter = form.cleaned_data["matter"]
                require_role(request.user, matter, Role.EDITOR)
                upload = form.cleaned_data["file"]
                if upload.size > settings.IMPORT_MAX_BYTES:
                    form.add_error(
                        "file", f"The file is larger than the import limit ({settings.IMPORT_MAX_BYTES:,} bytes)."
                    )
                else:
                    # the file is untrusted: it is only stored here, and read by the preview job
                    token = keep_upload(upload, name=upload.name)
                    order = form.cleaned_data["order"]
                    job = start_preview_job(matter=matter, user=request.user, token=token, name=upload.name,
                                            sheet=form.cleaned_data["sheet"] or None, order=order,
                                            day_first=ORDERS[order])  # fmt: skip
                    return redirect("admin:evidence_event_import_job", pk=job.pk)
        else:
            form = EventImportForm(user=request.user, initial={"matter": request.GET.get("matter")})
        return TemplateResponse(
            request, "admin/evidence/import_events.html", self._import_context(request, "Import events", form=form)
        )

    def _preview(self, request, token, pending, matter, preview, form=None):
        """The preview page of a finished preview (`preview_data`): the mapping form while the file is kept, and the
        confirm button if it can be confirmed."""
        kept = upload_kept(token)
        if kept:
            request.session.setdefault(SESSION_KEY, {})[token] = pending
            request.session.modified = True
        columns, values = (form or ImportMappingForm(preview=preview)).rows()
        return TemplateResponse(
            request,
            "admin/evidence/import_preview.html",
            self._import_context(
                request,
                f"Preview: import {pending['name']} into {matter}",
                preview=preview,
                token=token,
                matter=matter,
                counts=preview["counts"],
                confirmable=preview["ok"] and kept,
                spent=not kept,
                mappable=kept and bool(columns or values),
                mapping_columns=columns,
                mapping_values=values,
                background=preview["data_rows"] >= settings.IMPORT_BACKGROUND_ROWS,
                order=pending["order"],
            ),  # fmt: skip
        )

    def import_confirm_view(self, request):
        self._require_import_permission(request)
        if request.method != "POST":
            return redirect("admin:evidence_event_import")
        token = request.POST.get("token", "")
        pending, matter = self._pending(request, token)
        if not upload_kept(token):
            raise Http404("This import preview has expired; upload the file again.")
        preview = self._previewed(pending)
        form = ImportMappingForm(request.POST, preview=preview)
        if not form.is_valid():
            return self._preview(request, token, pending, matter, preview, form=form)
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
            return redirect("admin:evidence_event_import_job", pk=job.pk)
        if pending.get("rows", 0) >= settings.IMPORT_BACKGROUND_ROWS:
            job = start_import_job(matter=matter, user=request.user, token=token, name=pending["name"],
                                   sheet=pending["sheet"], day_first=day_first, rows=pending["rows"],
                                   mapping=given.to_json())  # fmt: skip
            return redirect("admin:evidence_event_import_job", pk=job.pk)
        try:
            with reading_upload(token) as path:
                table = read_table_isolated(path, name=pending["name"], sheet=pending["sheet"])
            result = import_events(table, matter=matter, user=request.user, day_first=day_first, mapping=given)
        except UnusableInputError as error:
            messages.error(request, str(error))
            return redirect("admin:evidence_event_import")
        finally:
            discard_upload(token)  # spent: written, refused, or changed since (the preview below is of the matter now)
        if not result.written:  # the matter changed since the preview: show what is wrong now
            return self._preview(request, token, pending, matter, preview_data(result.plan))
        messages.success(request, f"Imported {pending['name']} into {matter}: {result.plan.summary()}.")
        return redirect(reverse("admin:evidence_event_changelist") + f"?matter__id__exact={matter.pk}")

    def import_job_view(self, request, pk):
        job = self._job(request, pk, (Job.Kind.IMPORT_EVENTS, Job.Kind.PREVIEW_EVENTS))
        preview = job.kind == Job.Kind.PREVIEW_EVENTS
        if preview and job.state == Job.State.DONE:
            options = job.options
            pending = {"matter": job.matter_id, "name": options["name"], "sheet": options["sheet"],
                       "order": options["order"], "rows": options["preview"]["data_rows"], "job": job.pk,
                       "mapping": options.get("mapping", {})}  # fmt: skip
            return self._preview(request, options["token"], pending, job.matter, options["preview"])
        title = (
            f"Preview: import {job.options.get('name')} into {job.matter}" if preview else f"Import into {job.matter}"
        )
        return self._job_page(request, job, title, is_preview=preview, unit="rows")

    @staticmethod
    def _previewed(pending) -> dict:
        """The preview the user saw: its job keeps it (the session keeps only which job)."""
        job = Job.objects.filter(pk=pending.get("job"), kind=Job.Kind.PREVIEW_EVENTS).first()
        if job is None or "preview" not in job.options:
            raise Http404("This import preview has expired; upload the file again.")
        return job.options["preview"]

    def _pending(self, request, token):
        pending = request.session.get(SESSION_KEY, {}).get(token)
        if pending is None:
            raise Http404("This import preview has expired; upload the file again.") from None
        matter = Matter.objects.filter(pk=pending["matter"]).first()
        if matter is None or not has_role(request.user, matter, Role.EDITOR):
            raise PermissionDenied
        return pending, matter


class DocumentImportAdminMixin(_ImportAdminMixin):
    """Adds "Import documents" to the document admin."""

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="evidence_document_import"),
            path("import/job/<int:pk>/", self.admin_site.admin_view(self.import_job_view),
                 name="evidence_document_import_job"),
        ] + super().get_urls()  # fmt: skip

    def import_view(self, request):
        self._require_import_permission(request)
        if request.method == "POST":
            form = DocumentImportForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                matter = form.cleaned_data["matter"]
                require_role(request.user, matter, Role.EDITOR)
                upload = form.cleaned_data["file"]
                # kept in the storage and read by a worker: a ZIP of evidence may take longer than a request
                token = keep_upload(upload, name=upload.name)
                job = start_document_import_job(matter=matter, user=request.user, token=token, name=upload.name,
                                                check_only=form.cleaned_data["check_only"])  # fmt: skip
                return redirect("admin:evidence_document_import_job", pk=job.pk)
        else:
            form = DocumentImportForm(user=request.user, initial={"matter": request.GET.get("matter")})
        return TemplateResponse(
            request,
            "admin/evidence/import_documents.html",
            self._import_context(request, "Import documents", form=form),
        )

    def import_job_view(self, request, pk):
        job = self._job(request, pk, (Job.Kind.IMPORT_DOCUMENTS,))
        title = f"Import {job.options.get('name')} into {job.matter}"
        return self._job_page(request, job, title, unit="files", result=job.options.get("result"))
