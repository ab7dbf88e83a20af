"""The user's matters: those the pages list for them, each with the user's role in it."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from evidence import selectors
from evidence.api.serializers import MatterSerializer
from evidence.api.views.base import matter_of
from evidence.permissions import roles_in


class MatterList(ListModelMixin, GenericAPIView):
    serializer_class = MatterSerializer

    @extend_schema(summary="The matters the token's user is a member of", operation_id="matters_list")
    def get(self, request):
        matters = self.paginate_queryset(selectors.matters_overview(user=request.user))
        context = {"roles": roles_in(request.user, matters)}
        return self.get_paginated_response(MatterSerializer(matters, many=True, context=context).data)


class MatterDetail(GenericAPIView):
    serializer_class = MatterSerializer

    @extend_schema(summary="One matter (404 unless the user is a member)", operation_id="matters_retrieve")
    def get(self, request, slug):
        matter = matter_of(request, slug)
        return Response(MatterSerializer(matter, context={"roles": roles_in(request.user, [matter])}).data)
