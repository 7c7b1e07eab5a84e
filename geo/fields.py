"""Places as the API reads them from clients: a GeoJSON Point in WGS84, in two dimensions."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from backend.parsers import parse_float


@extend_schema_field(OpenApiTypes.OBJECT)
class PointField(GeometryField):
    """A GeoJSON Point, e.g. ``{"type": "Point", "coordinates": [4.36, 43.83]}``.

    Read by hand rather than by GDAL: NaN, a longitude of 400 or a polygon are refused with
    a message naming the field, and an altitude is dropped, where GDAL would keep a 3-D
    point that the 2-D column then refuses (a 500).
    """

    def to_internal_value(self, value: Any) -> Point | None:
        if value is None:
            return None
        if not isinstance(value, dict) or value.get("type") != "Point":
            raise serializers.ValidationError(
                _('A GeoJSON point is expected: {"type": "Point", "coordinates": [lon, lat]}.')
            )
        coordinates = value.get("coordinates")
        # RFC 7946 allows an altitude after them: phones send one. It is not kept.
        if not isinstance(coordinates, list) or len(coordinates) not in (2, 3):
            raise serializers.ValidationError(
                _("A point has two coordinates, longitude and latitude (and an altitude).")
            )
        if len(coordinates) == 3 and parse_float(coordinates[2]) is None:
            raise serializers.ValidationError(_("The altitude must be a number."))
        longitude = parse_float(coordinates[0], low=-180, high=180)
        latitude = parse_float(coordinates[1], low=-90, high=90)
        if longitude is None or latitude is None:
            raise serializers.ValidationError(
                _("The longitude must be within ±180 and the latitude within ±90.")
            )
        return Point(longitude, latitude, srid=4326)
