"""The charter, the moderation queue and the moderation log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from backend.models import Organisation
from backend.pagination import CursorPagination
from contributions.filters import ModerationLogFilter, ModerationQueueFilter
from contributions.models import CharterReason, Contribution, ModerationDecision
from contributions.permissions import IsModerator
from contributions.selectors.moderation import (
    charter_of,
    moderatable,
    moderation_log,
    moderation_queue,
)
from contributions.serializers._common import CharterReasonSerializer
from contributions.serializers.moderation import (
    DecisionSerializer,
    ModerationDecisionSerializer,
    ModerationItemSerializer,
)
from contributions.services.moderation import moderation_decide


@extend_schema(
    description="The whole charter of the organisation (a few reasons): a plain array, not a "
    "page. Its reasons are cited by id in flags and moderation decisions."
)
class CharterView(generics.ListAPIView):
    """The moderation charter of an organisation: the reasons moderators and flags cite."""

    queryset = CharterReason.objects.none()
    serializer_class = CharterReasonSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[CharterReason]:
        if getattr(self, "swagger_fake_view", False):
            return CharterReason.objects.none()
        organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return charter_of(organisation_id=organisation.pk)


class ModerationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Moderators: the queue of their organisations (pending and flagged, oldest first)."""

    queryset = Contribution.objects.none()
    serializer_class = ModerationItemSerializer
    permission_classes = [permissions.IsAuthenticated, IsModerator]
    filterset_class = ModerationQueueFilter

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        if self.action == "decision":
            return moderatable(user=self.request.user)
        return moderation_queue(user=self.request.user)

    @extend_schema(request=DecisionSerializer, responses=ModerationItemSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decision(self, request: Request, pk: str) -> Response:
        """Publish, reject, hide or restore; reject and hide cite the charter."""
        contribution = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moderation_decide(
            contribution_id=contribution.pk, moderator=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=contribution.pk)).data)


class ModerationLogView(generics.ListAPIView):
    """The moderators and admins of an organisation: its moderation decisions, newest first.

    Read only, for good: nobody can change or delete a decision through the API or the
    back-office, so the team reading it does not weaken the audit."""

    queryset = ModerationDecision.objects.none()
    serializer_class = ModerationDecisionSerializer
    permission_classes = [permissions.IsAuthenticated, IsModerator]
    filterset_class = ModerationLogFilter
    # Decisions only ever arrive on top: cursor pages never repeat one while they do.
    pagination_class = CursorPagination

    def get_queryset(self) -> QuerySet[ModerationDecision]:
        if getattr(self, "swagger_fake_view", False):
            return ModerationDecision.objects.none()
        return moderation_log(user=self.request.user)
