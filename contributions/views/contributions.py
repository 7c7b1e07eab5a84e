"""Contributions of a consultation, one contribution, and my own."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from backend.throttling import ScopedRateThrottle
from contributions.models import Contribution
from contributions.permissions import (
    CanAnswerContribution,
    IsContributionAuthor,
    IsNotContributionAuthor,
)
from contributions.selectors.contributions import (
    contribution_detail,
    contribution_replies,
    contributions_of,
    my_contributions,
)
from contributions.serializers.answers import AnswerCreateSerializer
from contributions.serializers.contributions import (
    ContributionCreateSerializer,
    ContributionSerializer,
    ContributionUpdateSerializer,
    FlagSerializer,
    MyContributionSerializer,
    SupportSerializer,
)
from contributions.services.answers import contribution_answer
from contributions.services.contributions import (
    contribution_create,
    contribution_flag,
    contribution_support,
    contribution_unsupport,
    contribution_update,
)
from contributions.views.consultations import _visible_consultation


def _fresh(request: Request, contribution: Contribution) -> Contribution:
    """Read back with the counts and the viewer's state the serializers show."""
    return contribution_detail(user=request.user).get(pk=contribution.pk)


class ConsultationContributionsView(generics.ListAPIView):
    """Top-level contributions of a consultation (GET); contribute with an account (POST)."""

    queryset = Contribution.objects.none()
    serializer_class = ContributionSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends: list = []
    throttle_scope = "contribution"

    def get_throttles(self):  # noqa: ANN201
        # Writing is limited per account and per address, reading only by the global limits.
        if self.request.method == "POST":
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        consultation = _visible_consultation(self.request, self.kwargs["slug"])
        return contributions_of(consultation=consultation, user=self.request.user)

    @extend_schema(
        request=ContributionCreateSerializer,
        responses={201: ContributionSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        data = ContributionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = contribution_create(
            consultation=consultation, author=request.user, **data.validated_data
        )
        return Response(
            ContributionSerializer(_fresh(request, contribution)).data,
            status=status.HTTP_201_CREATED,
        )


class ContributionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A contribution and its replies (a page); its author edits it; others support or flag it."""

    queryset = Contribution.objects.none()
    serializer_class = ContributionSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsContributionAuthor]
    filter_backends: list = []

    def get_throttles(self):  # noqa: ANN201
        if self.action == "flag":
            # Flags are limited per account and per address, beside the global limits.
            self.throttle_scope = "flag"
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return contribution_detail(user=self.request.user)

    @extend_schema(
        request=ContributionUpdateSerializer,
        responses=ContributionSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """The author edits; under a priori moderation it waits for a moderator again."""
        contribution = self.get_object()
        data = ContributionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contribution_update(contribution=contribution, **data.validated_data)
        return Response(self.get_serializer(_fresh(request, contribution)).data)

    @extend_schema(responses=ContributionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def replies(self, request: Request, pk: str) -> Response:
        """The replies one may read, oldest first, a page at a time (replies to a reply: its
        own ``replies``)."""
        replies = contribution_replies(contribution=self.get_object(), user=request.user)
        page = self.paginate_queryset(replies)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    # Both ways answer the state after the call, so the schema says 200 for DELETE too.
    @extend_schema(request=None, responses={200: SupportSerializer})
    @action(
        detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated]
    )
    def support(self, request: Request, pk: str) -> Response:
        """« Je soutiens » (POST), or take it back (DELETE)."""
        contribution = self.get_object()
        if request.method == "DELETE":
            contribution_unsupport(contribution=contribution, user=request.user)
        else:
            contribution_support(contribution=contribution, user=request.user)
        contribution = _fresh(request, contribution)
        return Response(
            {
                "supported": request.method != "DELETE",
                "support_count": contribution.support_count,
            }
        )

    @extend_schema(request=FlagSerializer, responses={201: None})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, IsNotContributionAuthor],
    )
    def flag(self, request: Request, pk: str) -> Response:
        """Tell the moderators this breaks the charter; once per person."""
        contribution = self.get_object()
        data = FlagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution_flag(contribution_id=contribution.pk, user=request.user, **data.validated_data)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AnswerCreateSerializer,
        responses=ContributionSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanAnswerContribution],
    )
    def answer(self, request: Request, pk: str) -> Response:
        """The owning direction answers; the author and the supporters are told."""
        contribution = self.get_object()
        data = AnswerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution_answer(contribution=contribution, by=request.user, **data.validated_data)
        return Response(self.get_serializer(_fresh(request, contribution)).data)


class MyContributionsView(generics.ListAPIView):
    """My contributions, whatever their moderation state, with the reason of any refusal."""

    queryset = Contribution.objects.none()
    serializer_class = MyContributionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return my_contributions(user=self.request.user)
