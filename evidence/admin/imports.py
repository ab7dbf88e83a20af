"""The admin's bulk imports, as views of the event and document admins (registered through `get_urls`).

Events: upload -> preview of every row as it will be stored, computed by a background job (the page shows its
progress; no web process parses the untrusted file) -> confirm (large files in the background too), by the steps the
timeline's import pages take too (evidence.importing.steps). Documents: a ZIP
of files plus manifest.csv, checked or imported by a background job whose page shows the result. Only a matter's
editors and owners may import into it, and the matter choice lists only theirs. The views translate the request and
call evidence.importing; they write nothing themselves.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from evidence.forms.admin import DocumentImportForm, EventImportForm
from evidence.importing import steps
from evidence.importing.tasks import start_document_import_job
from evidence.importing.uploads import keep_upload
from evidence.models import Job, Role
from evidence.permissions import require_role


class _ImportAdminMixin:
    def _import_context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def _job_page(self, request, job, title, **extra):
        """The page of a running or finished import job: its progress, its message, and where to go next."""
        name = self.model._meta.model_name
        running = job.state in (Job.State.QUEUED, Job.State.RUNNING)
        return TemplateResponse(
            request,
            "admin/evidence/import_job.html",
            self._import_context(
                request, title, job=job, running=running, percent=steps.job_percent(job),
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
    """Adds "Import events" to the event admin; the steps are evidence.importing.steps, as the timeline's."""

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
                job = steps.preview_start(user=request.user, matter=matter, form=form)
                if job is not None:
                    return redirect("admin:evidence_event_import_job", pk=job.pk)
        else:
            form = EventImportForm(user=request.user, initial={"matter": request.GET.get("matter")})
        return TemplateResponse(
            request, "admin/evidence/import_events.html", self._import_context(request, "Import events", form=form)
        )

    def _preview(self, request, context):
        return TemplateResponse(
            request,
            "admin/evidence/import_preview.html",
            self._import_context(
                request, **context,
                confirm_url=reverse("admin:evidence_event_import_confirm"),
                restart_url=reverse("admin:evidence_event_import") + f"?matter={context['matter'].pk}",
            ),
        )  # fmt: skip

    def import_confirm_view(self, request):
        self._require_import_permission(request)
        if request.method != "POST":
            return redirect("admin:evidence_event_import")
        outcome = steps.confirm(request)
        if outcome.preview is not None:
            return self._preview(request, outcome.preview)
        if outcome.job is not None:
            return redirect("admin:evidence_event_import_job", pk=outcome.job.pk)
        if outcome.refused is not None:
            messages.error(request, outcome.refused)
            return redirect("admin:evidence_event_import")
        messages.success(request, outcome.done)
        return redirect(reverse("admin:evidence_event_changelist") + f"?matter__id__exact={outcome.matter.pk}")

    def import_job_view(self, request, pk):
        job = steps.import_job(request, pk, (Job.Kind.IMPORT_EVENTS, Job.Kind.PREVIEW_EVENTS))
        preview = job.kind == Job.Kind.PREVIEW_EVENTS
        if preview and job.state == Job.State.DONE:
            context = steps.preview_context(request, token=job.options["token"], pending=steps.pending_of(job),
                                            matter=job.matter, preview=job.options["preview"])  # fmt: skip
            return self._preview(request, context)
        title = (
            f"Preview: import {job.options.get('name')} into {job.matter}" if preview else f"Import into {job.matter}"
        )
        return self._job_page(request, job, title, is_preview=preview, unit="rows")


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
        job = steps.import_job(request, pk, (Job.Kind.IMPORT_DOCUMENTS,))
        title = f"Import {job.options.get('name')} into {job.matter}"
        return self._job_page(request, job, title, unit="files", result=job.options.get("result"))
