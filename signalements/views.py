from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from backend.object_storage import public_prefix
from backend.pagination import CursorPagination, PageNumberPagination
from backend.parsers import JSONParser, MultiPartParser
from backend.renderers import GeoJSONRenderer
from backend.throttling import ScopedRateThrottle
from geo.filters import InBBoxFilter
from signalements import serializers, services
from signalements.filters import SignalementFilter
from signalements.models import Category, Signalement, Status, Theme
from signalements.selectors.geojson import features_in_database, signalement_features
from signalements.selectors.reports import (
    signalement_list_mine,
    signalement_list_public,
    signalement_nearby,
    signalement_visible,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A retry with the same key gets the first answer back; never a second report.",
)


class SignalementPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    # A map's list of a viewport: up to 500 features in one answer.
    max_page_size = 500

    def get_paginated_response(self, data: Any) -> Response:
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            # RFC 7946 allows foreign members: the page links sit beside the features.
            return Response(
                {
                    "type": "FeatureCollection",
                    "count": None,
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                    "features": data["features"],
                }
            )
        return super().get_paginated_response(data)

    def geojson_page(self, features: str) -> HttpResponse:
        """A FeatureCollection page around features already written as JSON text."""
        head = json.dumps(
            {
                "type": "FeatureCollection",
                "count": None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
            }
        )
        body = f'{head[:-1]}, "features": {features}}}'
        return HttpResponse(body, content_type=GeoJSONRenderer.media_type)


class NearbyPagination(PageNumberPagination):
    """Pages of the reports near a point: 20 by default, the nearest first."""

    page_size = 20
    max_page_size = 100
    page_size_query_description = gettext_lazy("Reports per page (default 20, at most 100).")


class UpdatedSinceMixin:
    """Active entries, or with ``updated_since`` everything changed since (to refresh a cache)."""

    def get_queryset(self):  # noqa: ANN201
        query = serializers.UpdatedSinceSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data.get("updated_since")
        queryset = self.base_queryset()
        if since is None:
            return queryset.filter(is_active=True)
        return queryset.filter(updated_at__gt=since)


@extend_schema(parameters=[serializers.UpdatedSinceSerializer])
class ThemeViewSet(UpdatedSinceMixin, viewsets.ReadOnlyModelViewSet):
    """Themes of reports, that group the categories (a category's ``theme`` is its slug).

    The themes of consultations, which notification preferences name, are another list:
    ``/consultation-themes/``.
    """

    serializer_class = serializers.ThemeSerializer
    pagination_class = None
    lookup_field = "slug"

    def base_queryset(self):  # noqa: ANN201
        return Theme.objects.all()


@extend_schema(parameters=[serializers.UpdatedSinceSerializer])
class CategoryViewSet(UpdatedSinceMixin, viewsets.ReadOnlyModelViewSet):
    """Categories of reports with their questions, for the app to cache."""

    serializer_class = serializers.CategorySerializer
    pagination_class = None

    def base_queryset(self):  # noqa: ANN201
        return Category.objects.select_related("theme", "default_direction").prefetch_related(
            "questions"
        )


GEOJSON = (200, "application/geo+json")


@extend_schema_view(
    list=extend_schema(
        operation_id="signalements_list",
        responses={
            (200, "application/json"): serializers.SignalementSerializer(many=True),
            GEOJSON: serializers.SignalementFeaturePageSerializer,
        },
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): serializers.SignalementDetailSerializer,
            GEOJSON: serializers.SignalementGeoSerializer,
        }
    ),
)
class SignalementViewSet(viewsets.ReadOnlyModelViewSet):
    """Public reports (JSON or GeoJSON), filing a report, photos, support."""

    lookup_value_regex = r"\d+"
    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    parser_classes = [JSONParser, MultiPartParser]
    pagination_class = SignalementPagination
    filter_backends = [InBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends]
    filterset_class = SignalementFilter
    bbox_filter_field = "location"
    bbox_filter_include_overlapping = True

    def get_throttles(self):  # noqa: ANN201
        if self.action == "create":
            # Filing is limited per account and per address, beside the global limits.
            self.throttle_scope = "signalement"
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_permissions(self):  # noqa: ANN201
        if self.action in ("list", "retrieve", "nearby"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):  # noqa: ANN201
        if self.action == "list":
            return signalement_list_public(user=self.request.user)
        return signalement_visible(user=self.request.user)

    def _wants_geojson(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def list(self, request: Request, *args: object, **kwargs: object) -> HttpResponse:
        if not (self._wants_geojson() and features_in_database()):
            return super().list(request, *args, **kwargs)
        # The database writes the features: a page of 500 costs what its query costs.
        queryset = self.filter_queryset(Signalement.objects.public())
        page = self.paginate_queryset(queryset.values("id", "created_at"))
        features = signalement_features(
            ids=[row["id"] for row in page],
            media_prefix=request.build_absolute_uri(public_prefix()),
        )
        return self.paginator.geojson_page(features)

    def get_serializer_class(self):  # noqa: ANN201
        if self._wants_geojson():
            return serializers.SignalementGeoSerializer
        return serializers.SignalementSerializer

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        signalement = self.get_object()
        if self._wants_geojson():
            serializer = self.get_serializer(signalement)
        elif signalement.viewer_is_staff:
            serializer = serializers.StaffSignalementDetailSerializer(
                signalement, context=self.get_serializer_context()
            )
        else:
            serializer = serializers.SignalementDetailSerializer(
                signalement, context=self.get_serializer_context()
            )
        return Response(serializer.data)

    @extend_schema(
        request=serializers.ReopenSerializer,
        responses={200: serializers.MySignalementSerializer},
    )
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """The reporter reopens a resolved report, within 30 days, when the problem is back."""
        signalement = get_object_or_404(Signalement.objects.filter(reporter=request.user), pk=pk)
        data = serializers.ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.signalement_transition(
            signalement=signalement,
            actor=request.user,
            status=Status.REOPENED,
            public_message=data.validated_data.get("public_message", ""),
        )
        body = serializers.MySignalementSerializer(
            signalement_visible(user=request.user).get(pk=pk),
            context=self.get_serializer_context(),
        ).data
        return Response(body)

    @extend_schema(
        request={
            "multipart/form-data": serializers.SignalementCreateSerializer,
            "application/json": serializers.SignalementCreateSerializer,
        },
        responses={(201, "application/json"): serializers.MySignalementSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request: Request) -> Response:
        """File a report (JWT required); multipart with ``photos``, or JSON then photos."""

        def produce() -> tuple[int, Any]:
            data = serializers.SignalementCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            created = services.signalement_create(reporter=request.user, **data.validated_data)
            # The reporter's own view, as GET /api/v1/me/signalements/ lists it.
            signalement = signalement_list_mine(user=request.user).get(pk=created.pk)
            body = serializers.MySignalementSerializer(
                signalement, context=self.get_serializer_context()
            ).data
            return status.HTTP_201_CREATED, body

        code, body = services.idempotent_call(
            user=request.user,
            key=request.headers.get("Idempotency-Key", "").strip(),
            scope="signalement_create",
            produce=produce,
        )
        return Response(body, status=code)

    @extend_schema(
        request={"multipart/form-data": serializers.PhotoUploadSerializer},
        responses={201: serializers.PhotoSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["post"],
        renderer_classes=[JSONRenderer],
        # A plain list of the photos added: no page, no list filters.
        pagination_class=None,
        filter_backends=[],
    )
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Add photos to one's report after filing it (the reporter only; others get 404)."""
        signalement = get_object_or_404(Signalement.objects.filter(reporter=request.user), pk=pk)
        data = serializers.PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photos = services.signalement_photos_add(
            signalement=signalement, user=request.user, photos=data.validated_data["photos"]
        )
        body = serializers.PhotoSerializer(
            photos, many=True, context=self.get_serializer_context()
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[serializers.NearbyQuerySerializer],
        responses={200: serializers.NearbySerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[JSONRenderer],
        filter_backends=[],
        pagination_class=NearbyPagination,
    )
    def nearby(self, request: Request) -> Response:
        """Open reports of the category close to a point, nearest first: maybe the problem
        is already known. The window (distance, days) is in the query, with its defaults."""
        query = serializers.NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = signalement_nearby(user=request.user, **query.validated_data)
        page = self.paginate_queryset(found)
        body = serializers.NearbySerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(body)

    @extend_schema(
        methods=["POST"],
        request=None,
        responses={200: serializers.FollowStateSerializer},
        description='Support a report ("moi aussi"); again is harmless. Answers the new state.',
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={204: None},
        description="Stop supporting a report; harmless when one did not.",
    )
    @action(detail=True, methods=["post", "delete"], renderer_classes=[JSONRenderer])
    def follow(self, request: Request, pk: str | None = None) -> Response:
        """Support a report ("moi aussi") or stop supporting it."""
        signalement = get_object_or_404(Signalement.objects.visible_to(request.user), pk=pk)
        if request.method == "DELETE":
            services.signalement_unfollow(signalement=signalement, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        services.signalement_follow(signalement=signalement, user=request.user)
        body = {"following": True, "supporters_count": signalement.follows.count()}
        return Response(serializers.FollowStateSerializer(body).data)


class MySignalementsView(generics.ListAPIView):
    """The reports I filed, private ones included, each with its public timeline."""

    serializer_class = serializers.MySignalementSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = SignalementPagination

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Signalement.objects.none()
        return signalement_list_mine(user=self.request.user)
