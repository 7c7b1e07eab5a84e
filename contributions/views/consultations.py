"""Consultations: list, detail, map, follow, publish; organisation follows."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.models import Organisation
from backend.renderers import GeoJSONRenderer
from contributions.filters import ConsultationFilter
from contributions.models import Consultation, Theme
from contributions.permissions import CanPublishConsultation
from contributions.selectors.consultations import (
    consultation_detail,
    consultation_list,
    consultations_near,
)
from contributions.serializers.consultations import (
    ConsultationDetailSerializer,
    ConsultationFeatureCollectionSerializer,
    ConsultationListSerializer,
    ConsultationQuerySerializer,
    ConsultationScopeSerializer,
    FollowSerializer,
    ThemeSerializer,
)
from contributions.services.consultations import (
    consultation_follow,
    consultation_publish,
    consultation_unfollow,
    organisation_follow,
    organisation_unfollow,
)


@extend_schema(parameters=[ConsultationQuerySerializer])
class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published consultations, forever; drafts only for the staff of their organisation."""

    queryset = Consultation.objects.none()
    lookup_field = "slug"
    filterset_class = ConsultationFilter
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = ["opens_at", "closes_at", "title", "published_at"]
    ordering = ["-opens_at", "pk"]

    def get_queryset(self) -> QuerySet[Consultation]:
        if self.action == "retrieve" or self.action in ("follow", "publish"):
            return consultation_detail(user=self.request.user)
        queryset = consultation_list(user=self.request.user, boundaries=self.action == "map")
        query = ConsultationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if "radius" in query.validated_data:
            queryset = consultations_near(
                queryset,
                latitude=query.validated_data["latitude"],
                longitude=query.validated_data["longitude"],
                radius_m=query.validated_data["radius"],
            )
        return queryset

    def get_serializer_class(self) -> type:
        if self.action in ("retrieve", "publish"):
            return ConsultationDetailSerializer
        if self.action == "map":
            return ConsultationScopeSerializer
        return ConsultationListSerializer

    @extend_schema(
        summary="Perimeters of the consultations for the map (GeoJSON)",
        responses={(200, "application/geo+json"): ConsultationFeatureCollectionSerializer},
    )
    @action(
        detail=False,
        url_path="map",
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
        pagination_class=None,
    )
    def map(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        return Response(self.get_serializer(queryset, many=True).data)

    # Both ways answer the state after the call, so the schema says 200 for DELETE too.
    @extend_schema(request=None, responses={200: FollowSerializer})
    @action(
        detail=True,
        methods=["post", "delete"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def follow(self, request: Request, slug: str) -> Response:
        """Follow (POST) or stop following (DELETE): new phases, meetings and the restitution."""
        consultation = self.get_object()
        if request.method == "DELETE":
            consultation_unfollow(consultation=consultation, user=request.user)
            return Response({"following": False})
        consultation_follow(consultation=consultation, user=request.user)
        return Response({"following": True})

    @extend_schema(request=None, responses=ConsultationDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishConsultation],
        filter_backends=[],
    )
    def publish(self, request: Request, slug: str) -> Response:
        """Staff: make a draft public for good; residents are alerted once it is open."""
        consultation = self.get_object()
        consultation_publish(consultation=consultation)
        consultation = self.get_queryset().get(pk=consultation.pk)
        return Response(self.get_serializer(consultation).data)


class ConsultationThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Themes of consultations, by slug: the values of ``?theme=`` on consultations, of an
    actor's ``themes`` and of the ``themes`` of notification preferences.

    The themes of reports, that group categories, are another list: ``/themes/``.
    """

    queryset = Theme.objects.order_by("name")
    serializer_class = ThemeSerializer
    pagination_class = None
    lookup_field = "slug"


class OrganisationFollowView(APIView):
    """Be told when this organisation opens a consultation (POST), or stop (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowSerializer

    @extend_schema(request=None, responses={200: FollowSerializer})
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        organisation_follow(organisation=organisation, user=request.user)
        return Response({"following": True})

    @extend_schema(request=None, responses={200: FollowSerializer})
    def delete(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        organisation_unfollow(organisation=organisation, user=request.user)
        return Response({"following": False})


def _visible_consultation(request: Request, slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.visible_to(request.user), slug=slug)
