"""Documents: the matter's exhibits, an upload through the same intake as the upload page (streamed, hashed, numbered),
and the file through the one download path (evidence.downloads), which checks the role and the file's SHA-256 and
records the access."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from evidence import dates, selectors
from evidence.api.errors import field_errors
from evidence.api.fields import read_date
from evidence.api.serializers import DocumentSerializer, DocumentUpload, DocumentUploaded
from evidence.api.views.base import Pages, matter_of, valid
from evidence.downloads import serve_document
from evidence.models import Role
from evidence.services.documents import document_intake
from evidence.views.access import address_of

UPLOAD_FIELDS = {"title", "author", "source_url", "bates_start", "bates_end"}


class DocumentList(ListModelMixin, GenericAPIView):
    serializer_class = DocumentSerializer
    pagination_class = Pages

    @extend_schema(
        summary="The matter's documents in exhibit order",
        parameters=[OpenApiParameter("deleted", OpenApiTypes.BOOL, description="Include deleted documents.")],
    )
    def get(self, request, slug):
        matter = matter_of(request, slug)
        deleted = request.query_params.get("deleted", "").lower() in ("1", "true", "yes", "on")
        documents = selectors.documents_for_matter(matter=matter, include_deleted=deleted).prefetch_related(None)
        page = self.paginate_queryset(documents.defer("extracted_text"))
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        summary="Upload one evidence file (editors and owners): numbered and hashed as on the upload page",
        request={"multipart/form-data": DocumentUpload},
        responses={201: DocumentUploaded, 200: DocumentUploaded},
    )
    def post(self, request, slug):
        matter = matter_of(request, slug, Role.EDITOR)
        data = valid(DocumentUpload, request.data).validated_data
        upload = data["file"]
        fields = {name: data[name] for name in UPLOAD_FIELDS if name in data}
        if "privileged" in data:
            fields["is_privileged"] = data["privileged"]
        try:
            result = document_intake(
                matter=matter,
                user=request.user,
                file=upload,
                filename=upload.name,
                reason=data["reason"],
                date=read_date(data, matter) or dates.UNDATED,
                **fields,
            )
        except DjangoValidationError as error:
            errors = field_errors(error)
            if "non_field_errors" in errors:  # the intake's own refusals (empty, too large) are about the file
                errors["file"] = errors.pop("non_field_errors")
            raise exceptions.ValidationError(errors) from None
        document = result.document
        body = {**DocumentSerializer(document).data, "created": result.created}
        location = reverse("api:document_detail", args=[matter.slug, document.pk])
        return Response(body, status=201 if result.created else 200, headers={"Location": location})

    parser_classes = [MultiPartParser]


class DocumentDetail(GenericAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(summary="One document's metadata")
    def get(self, request, slug, pk):
        matter = matter_of(request, slug)
        document = get_object_or_404(selectors.documents_of(matter=matter).defer("extracted_text"), pk=pk)
        return Response(DocumentSerializer(document).data)


class DocumentFile(GenericAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(
        summary="The document's file, as stored at intake (checked against its SHA-256 as it is sent)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            409: OpenApiResponse(description="The stored file no longer matches its SHA-256; it is not sent."),
        },
    )
    def get(self, request, slug, pk):
        matter = matter_of(request, slug)
        document = get_object_or_404(selectors.documents_of(matter=matter), pk=pk)
        return serve_document(user=request.user, document=document, address=address_of(request))
