from __future__ import annotations

import math

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from backend.renderers import GeoJSONRenderer
from geo import serializers, services
from geo.models import Commune

GEOMETRY_PARAM = OpenApiParameter(
    "geometry",
    OpenApiTypes.STR,
    enum=["simplified", "full"],
    description="With format=geojson: the simplified boundary (default) or the full one.",
)


class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """The communes of the territory, as JSON or GeoJSON (``?format=geojson``)."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    pagination_class = None
    lookup_field = "insee_code"

    def get_queryset(self):  # noqa: ANN201
        queryset = Commune.objects.select_related("organisation").order_by("name")
        if not self._wants_geojson():
            return queryset.defer("geometry", "geometry_simplified")
        if self._full_geometry():
            return queryset.defer("geometry_simplified")
        return queryset.defer("geometry")

    def _wants_geojson(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def _full_geometry(self) -> bool:
        return self.request.query_params.get("geometry") == "full"

    def get_serializer_class(self):  # noqa: ANN201
        if self._wants_geojson():
            if self._full_geometry():
                return serializers.CommuneFullGeoSerializer
            return serializers.CommuneGeoSerializer
        return serializers.CommuneSerializer

    @extend_schema(
        operation_id="communes_list",
        parameters=[GEOMETRY_PARAM],
        responses={
            (200, "application/json"): serializers.CommuneSerializer(many=True),
            (200, "application/geo+json"): serializers.CommuneGeoSerializer(many=True),
        },
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[GEOMETRY_PARAM],
        responses={
            (200, "application/json"): serializers.CommuneSerializer,
            (200, "application/geo+json"): serializers.CommuneGeoSerializer,
        },
    )
    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[serializers.LocateQuerySerializer],
        responses={200: serializers.CommuneSerializer},
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer])
    def locate(self, request: Request) -> Response:
        """The commune that contains a point, or 404 when the point is outside the territory."""
        query = serializers.LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        latitude, longitude = query.validated_data["latitude"], query.validated_data["longitude"]
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise exceptions.ValidationError({"latitude": [_("A valid number is required.")]})
        commune = services.commune_locate(point=Point(longitude, latitude, srid=4326))
        if commune is None:
            raise exceptions.NotFound(
                _("This place is outside the territory of %(territory)s.")
                % {"territory": settings.TERRITORY_NAME}
            )
        return Response(serializers.CommuneSerializer(commune).data)
