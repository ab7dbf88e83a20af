"""Events: the timeline (its filters, as the timeline page reads them from the query string), one event, and its
changes through the same services as the event form: create, change, soft delete, restore."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin

from evidence import dates, selectors
from evidence.api.errors import Conflict, form_errors
from evidence.api.fields import read_date
from evidence.api.preconditions import body_with_reason, expected_version, stale
from evidence.api.serializers import (
    EventCreateInput,
    EventInput,
    EventSerializer,
    EventVersionSerializer,
    VersionedReasonInput,
)
from evidence.api.views.base import Pages, matter_of, valid, with_etag
from evidence.forms.filters import QUERY_NAMES, TimelineFilterForm
from evidence.models import Event, Role
from evidence.services import events as event_services
from evidence.services.base import StaleEdit

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description='The ETag read, e.g. "3" (or send "version").'
)
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Text in titles, descriptions and cited documents."),
    OpenApiParameter("from", OpenApiTypes.STR, description="Events that may fall on or after this date (“Aug 2024”)."),
    OpenApiParameter("to", OpenApiTypes.STR, description="Events that may fall on or before this date (“2025”)."),
    OpenApiParameter("kind", OpenApiTypes.STR, many=True, description="Event kinds (repeat for several)."),
    OpenApiParameter("issue", OpenApiTypes.STR, many=True, description="Issue names."),
    OpenApiParameter("actor", OpenApiTypes.STR, many=True, description="Actor names."),
    OpenApiParameter("status", OpenApiTypes.STR, many=True, description="undisputed, disputed, unverified."),
    OpenApiParameter("key", OpenApiTypes.BOOL, description="Key facts only."),
    OpenApiParameter("deleted", OpenApiTypes.BOOL, description="Include deleted events."),
    OpenApiParameter("undated", OpenApiTypes.BOOL, description="With a date window, keep undated events too."),
]


def _filters(request, matter):
    """The timeline page's filter form bound to the query string; an invalid filter is a 400 naming its parameter."""
    form = TimelineFilterForm(request.query_params, matter=matter)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form, names=QUERY_NAMES))
    return form.to_filters()


def _event(matter, pk) -> Event:
    return get_object_or_404(selectors.events_with_sources(matter=matter), pk=pk)


def _answer(event: Event, *, status: int = 200):
    event = selectors.events_with_sources(matter=event.matter).get(pk=event.pk)
    location = reverse("api:event_detail", args=[event.matter.slug, event.pk]) if status == 201 else ""
    return with_etag(EventSerializer(event).data, event.version, status=status, location=location)


class EventList(ListModelMixin, GenericAPIView):
    serializer_class = EventSerializer
    pagination_class = Pages

    @extend_schema(summary="The timeline: events in date order, filtered as on the timeline page", parameters=FILTERS)
    def get(self, request, slug):
        matter = matter_of(request, slug)
        events = selectors.events_for_timeline(matter=matter, filters=_filters(request, matter))
        return self.get_paginated_response(EventSerializer(self.paginate_queryset(events), many=True).data)

    @extend_schema(
        summary="Log an event (editors and owners)",
        request=EventCreateInput,
        responses={201: EventSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Up to 36 characters: sending the same key again returns the event made the first time.",
            )
        ],
    )
    def post(self, request, slug):
        matter = matter_of(request, slug, Role.EDITOR)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 36:
            raise exceptions.ValidationError({"Idempotency-Key": ["At most 36 characters (a UUID fits)."]})
        data = valid(EventCreateInput, request.data)
        event, created = event_services.event_create_once(
            matter=matter,
            submission_token=key or None,
            user=request.user,
            reason=data.validated_data["reason"],
            date=read_date(data.validated_data, matter) or dates.UNDATED,
            actors=data.validated_data.get("actors", ()),
            issues=data.validated_data.get("issues", ()),
            **data.service_fields(),
        )
        return _answer(event, status=201 if created else 200)


class EventDetail(GenericAPIView):
    serializer_class = EventSerializer

    @extend_schema(summary="One event, with its ETag (its version)")
    def get(self, request, slug, pk):
        event = _event(matter_of(request, slug), pk)
        return with_etag(EventSerializer(event).data, event.version)

    @extend_schema(
        summary="Change an event: only the fields sent (If-Match or version required)",
        request=EventInput,
        parameters=[IF_MATCH],
        responses={200: EventSerializer},
    )
    def patch(self, request, slug, pk):
        matter = matter_of(request, slug, Role.EDITOR)
        event = _event(matter, pk)
        expected = expected_version(request)
        data = valid(EventInput, request.data)
        if event.is_deleted:
            raise Conflict("This event is deleted; restore it before changing it.")
        try:
            updated = event_services.event_update(
                event=event,
                user=request.user,
                reason=data.validated_data["reason"],
                expected_version=expected,
                date=read_date(data.validated_data, matter),
                actors=data.validated_data.get("actors"),
                issues=data.validated_data.get("issues"),
                **data.service_fields(),
            )
        except StaleEdit as error:
            raise stale(error) from None
        return _answer(updated)

    @extend_schema(
        summary="Delete an event (soft: it stays in the history and can be restored)",
        request=VersionedReasonInput,
        parameters=[IF_MATCH, OpenApiParameter("reason", OpenApiTypes.STR, description="Or in the body.")],
        responses={200: EventSerializer},
    )
    def delete(self, request, slug, pk):
        return _set_deleted(request, slug, pk, delete=True)


class EventRestore(GenericAPIView):
    serializer_class = EventSerializer

    @extend_schema(
        summary="Restore a deleted event",
        request=VersionedReasonInput,
        parameters=[IF_MATCH],
        responses=EventSerializer,
    )
    def post(self, request, slug, pk):
        return _set_deleted(request, slug, pk, delete=False)


def _set_deleted(request, slug, pk, *, delete: bool):
    matter = matter_of(request, slug, Role.EDITOR)
    event = _event(matter, pk)
    expected = expected_version(request)
    reason = valid(VersionedReasonInput, body_with_reason(request)).validated_data["reason"]
    if event.is_deleted == delete:
        raise Conflict("This event is already deleted." if delete else "This event is not deleted.")
    service = event_services.event_delete if delete else event_services.event_restore
    try:
        changed = service(event=event, user=request.user, reason=reason, expected_version=expected)
    except StaleEdit as error:
        raise stale(error) from None
    return _answer(changed)


class EventVersions(GenericAPIView):
    serializer_class = EventVersionSerializer

    @extend_schema(summary="Every version of an event, newest first: who, when, why")
    def get(self, request, slug, pk):
        event = _event(matter_of(request, slug), pk)
        data = EventVersionSerializer(selectors.event_versions(event=event), many=True).data
        return with_etag(data, event.version)
