"""A matter's actors and issues: listed with how many live events they mark, and added (as the admin adds them:
a name already in the matter, in any case, is refused). Events name them by name, and a name an event sends that the
matter does not have yet is added on the way, as the event form does."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from evidence import selectors
from evidence.api.serializers import ActorInput, ActorSerializer, IssueInput, IssueSerializer
from evidence.api.views.base import Pages, matter_of, valid
from evidence.models import Role
from evidence.services import actors as tag_services


class ActorList(ListModelMixin, GenericAPIView):
    serializer_class = ActorSerializer
    pagination_class = Pages

    @extend_schema(summary="The matter's actors by name")
    def get(self, request, slug):
        actors = self.paginate_queryset(selectors.actors_of(matter=matter_of(request, slug)))
        return self.get_paginated_response(ActorSerializer(actors, many=True).data)

    @extend_schema(summary="Add an actor (editors and owners)", request=ActorInput, responses={201: ActorSerializer})
    def post(self, request, slug):
        matter = matter_of(request, slug, Role.EDITOR)
        data = valid(ActorInput, request.data).validated_data
        actor = tag_services.actor_create(
            matter=matter, name=data["name"], kind=data["kind"], user=request.user, reason=data["reason"]
        )
        return Response(ActorSerializer(selectors.actors_of(matter=matter).get(pk=actor.pk)).data, status=201)


class IssueList(ListModelMixin, GenericAPIView):
    serializer_class = IssueSerializer
    pagination_class = Pages

    @extend_schema(summary="The matter's issues (tags) by name")
    def get(self, request, slug):
        issues = self.paginate_queryset(selectors.issues_of(matter=matter_of(request, slug)))
        return self.get_paginated_response(IssueSerializer(issues, many=True).data)

    @extend_schema(summary="Add an issue (editors and owners)", request=IssueInput, responses={201: IssueSerializer})
    def post(self, request, slug):
        matter = matter_of(request, slug, Role.EDITOR)
        data = valid(IssueInput, request.data).validated_data
        issue = tag_services.issue_create(matter=matter, name=data["name"], user=request.user, reason=data["reason"])
        return Response(IssueSerializer(selectors.issues_of(matter=matter).get(pk=issue.pk)).data, status=201)
