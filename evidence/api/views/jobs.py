"""Exports as background jobs: started with the export page's options (its form, and its rule on privileged
material), polled, and their file fetched through the one download path (evidence.downloads)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from evidence import selectors
from evidence.api.errors import form_errors
from evidence.api.serializers import ExportInput, JobSerializer
from evidence.api.views.base import Pages, matter_of, valid
from evidence.downloads import serve_export
from evidence.forms.filters import ExportForm
from evidence.models import Job
from evidence.permissions import job_role, may_export_privileged, require_role
from evidence.services.jobs import jobs_reap_stale
from evidence.views.access import address_of


def _job(request, slug, pk) -> Job:
    """A chronology export of the matter, or its archive (to its owners only), as the export pages find them."""
    matter = matter_of(request, slug)
    kinds = (Job.Kind.EXPORT, Job.Kind.ARCHIVE)
    job = get_object_or_404(selectors.export_jobs(matter=matter, user=None, kinds=kinds), pk=pk)
    require_role(request.user, matter, job_role(job))
    return job


class JobList(ListModelMixin, GenericAPIView):
    serializer_class = JobSerializer
    pagination_class = Pages

    @extend_schema(summary="The user's exports of the matter, newest first")
    def get(self, request, slug):
        jobs = selectors.export_jobs(matter=matter_of(request, slug), user=request.user).order_by("-created_at", "-pk")
        return self.get_paginated_response(JobSerializer(self.paginate_queryset(jobs), many=True).data)

    @extend_schema(
        summary="Start an export (PDF, CSV, XLSX, DOCX) with the export page's options and the timeline's filters",
        request=ExportInput,
        responses={202: JobSerializer},
    )
    def post(self, request, slug):
        from evidence import exporting  # WeasyPrint and pandas are loaded on first use only

        matter = matter_of(request, slug)
        data = valid(ExportInput, request.data).validated_data
        form = ExportForm(
            {"paper": "letter", **data},
            matter=matter,
            formats=exporting.FORMATS,
            privileged_allowed=may_export_privileged(request.user, matter),
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        cleaned = form.cleaned_data
        options = exporting.ExportOptions(
            format=cleaned["format"],
            filters=form.to_filters(),
            embed_exhibits=cleaned["embed_exhibits"] and cleaned["format"] == "pdf",
            paper=cleaned["paper"],
            report=cleaned["report"],
            source_redlines=cleaned["source_redlines"],
        )
        job = exporting.export_job_start(matter=matter, user=request.user, options=options)
        job.refresh_from_db()
        location = reverse("api:job_detail", args=[matter.slug, job.pk])
        return Response(JobSerializer(job).data, status=202, headers={"Location": location})


class JobDetail(GenericAPIView):
    serializer_class = JobSerializer

    @extend_schema(summary="An export's progress; `file_url` once it is done")
    def get(self, request, slug, pk):
        job = _job(request, slug, pk)
        if job.state in (Job.State.QUEUED, Job.State.RUNNING) and jobs_reap_stale(jobs=Job.objects.filter(pk=job.pk)):
            job.refresh_from_db()
        return Response(JobSerializer(job).data, headers={"Cache-Control": "no-store"})


class JobFile(GenericAPIView):
    serializer_class = JobSerializer

    @extend_schema(
        summary="The export's file, once done",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    )
    def get(self, request, slug, pk):
        return serve_export(user=request.user, job=_job(request, slug, pk), address=address_of(request))
