"""What the API's views share: the matter by the user's role (evidence.permissions, as every page starts), input
checked by a serializer, and answers that carry a record's ETag. A list view mixes in ListModelMixin only so that the
schema describes its answer as a page of results; its own `get` answers."""

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from evidence.api.preconditions import etag
from evidence.models import Matter, Role
from evidence.permissions import get_matter_for


class Pages(PageNumberPagination):
    """`?page=2&page_size=50`: the timeline's page size by default."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


def matter_of(request, slug: str, needed: Role = Role.VIEWER) -> Matter:
    """The matter if the user holds `needed` in it: 404 for a non-member (as for a matter that does not exist), 403
    for a member whose role is too low."""
    return get_matter_for(request.user, slug, needed)


def valid(serializer_class: type[serializers.Serializer], data, **context) -> serializers.Serializer:
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer


def with_etag(data, version: int, *, status: int = 200, location: str = "") -> Response:
    headers = {"ETag": etag(version)}
    if location:
        headers["Location"] = location
    return Response(data, status=status, headers=headers)
