from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo.models import Commune

COMMUNE_FIELDS = ["id", "insee_code", "name", "postcodes", "population", "organisation"]


class CommuneFieldsMixin(serializers.Serializer):
    postcodes = serializers.ListField(child=serializers.CharField(), read_only=True)
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The slug of the organisation this commune is, if it is one."),
    )


class CommuneSerializer(CommuneFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = [*COMMUNE_FIELDS]  # a copy each: rest_framework_gis appends to it


class CommuneGeoSerializer(CommuneFieldsMixin, GeoFeatureModelSerializer):
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
    latitude = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude (WGS84)."))
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, help_text=_("Longitude (WGS84).")
    )
