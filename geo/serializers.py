from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo.models import Commune

COMMUNE_FIELDS = ["id", "insee_code", "name", "postcodes", "population", "organisation"]


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = [*COMMUNE_FIELDS]  # a copy each: rest_framework_gis appends to it


class CommuneGeoSerializer(GeoFeatureModelSerializer):
    """A commune as a GeoJSON Feature; the geometry field is chosen by the view."""

    class Meta:
        model = Commune
        geo_field = "geometry_simplified"
        fields = [*COMMUNE_FIELDS]  # a copy each: rest_framework_gis appends to it


class CommuneFullGeoSerializer(CommuneGeoSerializer):
    class Meta(CommuneGeoSerializer.Meta):
        geo_field = "geometry"
        fields = [*COMMUNE_FIELDS]


class LocateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude (WGS84)."))
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude (WGS84)."))
