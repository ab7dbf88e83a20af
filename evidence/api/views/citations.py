"""An event's citations. A citation is part of its event's version (evidence.services.citations): citing or
unciting a document is a change of the event, so it needs the event's version (If-Match: the event's ETag) and gives
the event a new one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from evidence import selectors
from evidence.api.errors import Conflict
from evidence.api.preconditions import body_with_reason, expected_version, stale
from evidence.api.serializers import CitationInput, CitationSerializer, VersionedReasonInput
from evidence.api.views.base import matter_of, valid, with_etag
from evidence.api.views.events import IF_MATCH
from evidence.models import Citation, Event, Role
from evidence.services import citations as citation_services
from evidence.services.base import StaleEdit


def _event(matter, pk) -> Event:
    return get_object_or_404(selectors.events_with_sources(matter=matter), pk=pk)


def _citations(event: Event):
    return (
        Citation.objects.filter(event=event)
        .select_related("document__matter")
        .order_by("document__exhibit_number", "pinpoint")
    )


def _answer(event: Event, *, status: int = 200, created: Citation | None = None):
    """The event's citations after the change, with the event's new ETag."""
    event.refresh_from_db(fields=["version"])
    body = {"event_version": event.version, "citations": CitationSerializer(_citations(event), many=True).data}
    if created is not None:
        body["citation"] = CitationSerializer(created).data
    return with_etag(body, event.version, status=status)


class CitationList(GenericAPIView):
    serializer_class = CitationSerializer

    @extend_schema(summary="What the event cites (the ETag is the event's)", responses=CitationSerializer(many=True))
    def get(self, request, slug, pk):
        event = _event(matter_of(request, slug), pk)
        return with_etag(CitationSerializer(_citations(event), many=True).data, event.version)

    @extend_schema(
        summary="Cite a document of the matter from the event: a new version of the event",
        request=CitationInput,
        parameters=[IF_MATCH],
    )
    def post(self, request, slug, pk):
        matter = matter_of(request, slug, Role.EDITOR)
        event = _event(matter, pk)
        expected = expected_version(request)
        data = valid(CitationInput, request.data).validated_data
        if event.is_deleted:
            raise Conflict("This event is deleted; restore it before changing its citations.")
        # The documents the event form offers: the matter's live ones, and any the event cites already.
        document = selectors.documents_citable(matter=matter, event=event).filter(pk=data["document"]).first()
        if document is None:
            raise exceptions.ValidationError({"document": ["No such document in this matter (or it is deleted)."]})
        try:
            citation = citation_services.citation_create(
                event=event,
                document=document,
                user=request.user,
                reason=data["reason"],
                pinpoint=data["pinpoint"],
                note=data["note"],
                expected_version=expected,
            )
        except StaleEdit as error:
            raise stale(error) from None
        return _answer(event, status=201, created=citation)


class CitationDetail(GenericAPIView):
    serializer_class = CitationSerializer

    def _citation(self, matter, pk, citation_pk) -> Citation:
        return get_object_or_404(_citations(_event(matter, pk)).select_related("event"), pk=citation_pk)

    @extend_schema(summary="One citation")
    def get(self, request, slug, pk, citation_pk):
        citation = self._citation(matter_of(request, slug), pk, citation_pk)
        return with_etag(CitationSerializer(citation).data, citation.event.version)

    @extend_schema(
        summary="Remove a citation (its history keeps it): a new version of the event",
        request=VersionedReasonInput,
        parameters=[IF_MATCH, OpenApiParameter("reason", OpenApiTypes.STR, description="Or in the body.")],
    )
    def delete(self, request, slug, pk, citation_pk):
        matter = matter_of(request, slug, Role.EDITOR)
        citation = self._citation(matter, pk, citation_pk)
        expected = expected_version(request)
        reason = valid(VersionedReasonInput, body_with_reason(request)).validated_data["reason"]
        if citation.event.is_deleted:
            raise Conflict("This event is deleted; restore it before changing its citations.")
        try:
            citation_services.citation_delete(
                citation=citation, user=request.user, reason=reason, expected_version=expected
            )
        except StaleEdit as error:
            raise stale(error) from None
        return _answer(citation.event)
