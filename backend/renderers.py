from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON, chosen with ``?format=geojson`` or ``Accept: application/geo+json``."""

    media_type = "application/geo+json"
    format = "geojson"
