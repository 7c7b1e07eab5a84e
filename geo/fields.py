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

    Read by hand rather than by GDAL: a third coordinate, NaN, a longitude of 400 or a
    polygon are refused with a message naming the field, where GDAL would accept some of
    them and the database refuse them later (a 3-D point in a 2-D column is a 500).
    """

    def to_internal_value(self, value: Any) -> Point | None:
        if value is None:
            return None
        if not isinstance(value, dict) or value.get("type") != "Point":
            raise serializers.ValidationError(
                _('A GeoJSON point is expected: {"type": "Point", "coordinates": [lon, lat]}.')
            )
        coordinates = value.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) != 2:
            raise serializers.ValidationError(
                _("A point has two coordinates: longitude and latitude.")
            )
        longitude = parse_float(coordinates[0], low=-180, high=180)
        latitude = parse_float(coordinates[1], low=-90, high=90)
        if longitude is None or latitude is None:
            raise serializers.ValidationError(
                _("The longitude must be within ±180 and the latitude within ±90.")
            )
        return Point(longitude, latitude, srid=4326)
