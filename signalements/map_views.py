"""The map of public reports at any zoom: clusters with counts far out, points close in.

Below zoom 16 the clusters are read from the per-cell counts (``MapCell``,
``MapCellMonth``), which PostgreSQL triggers keep as reports change: they are installed
by signalements/migrations/0004_map_cells.py and 0005_map_cells_by_month.py. The SQL
is ``selectors.map.map_sql``; SpatiaLite groups the reports in Python instead.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from backend.fields import DateTimeField
from geo.filters import parse_bbox
from signalements.models import Status
from signalements.selectors.map import signalement_map

MAX_ZOOM = 22


class MapQuerySerializer(serializers.Serializer):
    bbox = serializers.CharField(
        help_text=gettext_lazy(
            "The viewport: min longitude, min latitude, max longitude, max latitude."
        )
    )
    zoom = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ZOOM,
        help_text=gettext_lazy("Zoom level of the map (clusters below 16, points from 16 on)."),
    )
    category = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=gettext_lazy("Category ids (repeat the parameter for several)."),
    )
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text=gettext_lazy("Statuses (repeat the parameter for several)."),
    )
    since = DateTimeField(
        required=False, help_text=gettext_lazy("Only reports created since then.")
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        return parse_bbox(value)


class MapPointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        help_text=gettext_lazy("Longitude and latitude (WGS84)."),
    )


class MapPropertiesSerializer(serializers.Serializer):
    """A cluster has ``cluster`` and ``count``; a lone report ``id``, ``category``, ``status``."""

    cluster = serializers.BooleanField(required=False)
    count = serializers.IntegerField(required=False, help_text=gettext_lazy("Reports in it."))
    id = serializers.IntegerField(required=False, help_text=gettext_lazy("The report's id."))
    category = serializers.IntegerField(
        required=False, help_text=gettext_lazy("The report's category id.")
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class MapFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = MapPointSerializer()
    properties = MapPropertiesSerializer()


class SignalementMapSerializer(serializers.Serializer):
    """What the map view answers (documentation only: the database writes the text)."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    mode = serializers.ChoiceField(choices=["clusters", "points"])
    cell_size = serializers.FloatField(
        required=False,
        help_text=gettext_lazy("Side of a grid cell in degrees (clusters mode only)."),
    )
    features = MapFeatureSerializer(many=True)


MAP_EXAMPLE = {
    "type": "FeatureCollection",
    "mode": "clusters",
    "cell_size": 0.0055,
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.3601, 43.8367]},
            "properties": {"cluster": True, "count": 42},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.35, 43.84]},
            "properties": {"id": 17, "category": 3, "status": "nouveau"},
        },
    ],
}


class SignalementMapView(APIView):
    """Public reports of a viewport, for a map at any zoom, over any number of reports.

    Below zoom 16 reports are grouped by the database on a grid whose cell follows the
    zoom (about 64 px on screen): each cell is one feature with ``cluster`` and ``count``,
    or the report itself when it is alone. From zoom 16 on, reports come one by one
    (at most 2000, the newest). The grid is fixed on the globe, so the same viewport
    gets the same answer on every phone (ETag, shared caches).
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[MapQuerySerializer],
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                SignalementMapSerializer,
                description="A GeoJSON FeatureCollection of clusters and points.",
                examples=[OpenApiExample("clusters", value=MAP_EXAMPLE)],
            )
        },
    )
    def get(self, request: Request) -> HttpResponse:
        query = MapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        body = signalement_map(
            bbox=data["bbox"],
            zoom=data["zoom"],
            categories=data.get("category"),
            statuses=data.get("status"),
            since=data.get("since"),
        )
        # The GeoJSON text comes whole from the selector: no parsing and re-rendering here.
        return HttpResponse(body, content_type="application/geo+json")
