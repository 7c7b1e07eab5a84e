"""The actor directory."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from contributions.models import Actor
from contributions.permissions import CanValidateActors, IsActorOwner
from contributions.selectors.actors import actors_visible, can_validate_actors
from contributions.serializers.actors import ActorSerializer
from contributions.services.actors import actor_register, actor_update, actor_validate


class ActorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The actor directory: validated public actors, and one's own."""

    queryset = Actor.objects.none()
    serializer_class = ActorSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsActorOwner]

    def get_queryset(self) -> QuerySet[Actor]:
        return actors_visible(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "can_validate": can_validate_actors(user=self.request.user),
        }

    def perform_create(self, serializer: ActorSerializer) -> None:
        serializer.instance = actor_register(owner=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: ActorSerializer) -> None:
        serializer.instance = actor_update(actor=serializer.instance, **serializer.validated_data)

    @extend_schema(request=None, responses=ActorSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanValidateActors],
    )
    def validate(self, request: Request, pk: str) -> Response:
        """Organisation admins: list the actor in the directory."""
        actor = actor_validate(actor=self.get_object(), by=request.user)
        return Response(self.get_serializer(actor).data)
