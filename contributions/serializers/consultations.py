"""Shapes of consultations, their phases, perimeter and follows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from backend.translation import TranslatedField
from contributions.models import Consultation, Contribution, Phase, Status, Theme
from contributions.selectors.consultations import consultation_scope, public_url
from contributions.selectors.contributions import allowed_kinds
from contributions.serializers._common import DirectionBriefSerializer, OrganisationBriefSerializer
from contributions.serializers.meetings import DocumentSerializer, MeetingSerializer


# The themes of reports are another list, another component ("Theme").
@extend_schema_serializer(component_name="ConsultationTheme")
class ThemeSerializer(serializers.ModelSerializer):
    name = TranslatedField()

    class Meta:
        model = Theme
        fields = ["slug", "name"]


class PhaseSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    description = TranslatedField()

    class Meta:
        model = Phase
        fields = ["name", "description", "starts_on", "ends_on"]


class ConsultationListSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    summary = TranslatedField()
    cover_alt = TranslatedField()
    organisation = OrganisationBriefSerializer(read_only=True)
    direction = DirectionBriefSerializer(read_only=True, allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    communes = serializers.SlugRelatedField(slug_field="insee_code", many=True, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    is_relayed = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The public page of the consultation."))
    following = serializers.BooleanField(
        read_only=True, help_text=_("Whether the viewer follows it (false when anonymous).")
    )
    panel = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The citizen panel it is kept to (its members only), or null."),
    )

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "summary",
            "organisation",
            "direction",
            "kind",
            "legal_basis",
            "themes",
            "communes",
            "opens_at",
            "closes_at",
            "status",
            "is_published",
            "is_relayed",
            "external_url",
            "url",
            "cover_image",
            "cover_alt",
            "following",
            "panel",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, consultation: Consultation) -> str:
        return public_url(consultation)


class ParticipationSerializer(serializers.Serializer):
    contributions_allowed = serializers.BooleanField()
    comments_allowed = serializers.BooleanField()
    moderation_mode = serializers.ChoiceField(choices=Consultation.Moderation.choices)
    is_open = serializers.BooleanField()


class ConsultationDetailSerializer(ConsultationListSerializer):
    body = TranslatedField()
    phases = PhaseSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    participation = serializers.SerializerMethodField()
    allowed_kinds = serializers.SerializerMethodField(
        help_text=_("The kinds of contribution people may write here, while it is open.")
    )

    class Meta(ConsultationListSerializer.Meta):
        fields = [
            *ConsultationListSerializer.Meta.fields,
            "body",
            "phases",
            "meetings",
            "documents",
            "participation",
            "allowed_kinds",
            "restitution_published_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Contribution.Kind.choices))
    )
    def get_allowed_kinds(self, consultation: Consultation) -> list[str]:
        return allowed_kinds(consultation)

    @extend_schema_field(ParticipationSerializer)
    def get_participation(self, consultation: Consultation) -> dict[str, Any]:
        local = not consultation.is_relayed
        return {
            "contributions_allowed": local and consultation.contributions_allowed,
            "comments_allowed": local and consultation.comments_allowed,
            "moderation_mode": consultation.moderation_mode,
            "is_open": consultation.accepts_participation,
        }


@extend_schema_field(OpenApiTypes.OBJECT)
class ScopeField(GeometryField):
    """The perimeter of a consultation: its own area, else the union of its communes."""

    def to_representation(self, consultation: Consultation) -> Any:
        scope = consultation_scope(consultation)
        return None if scope is None else super().to_representation(scope)


class ConsultationScopeSerializer(GeoFeatureModelSerializer):
    """A consultation on the map (GeoJSON Feature); documented by ConsultationFeatureSerializer."""

    area = ScopeField(source="*", read_only=True, allow_null=True)
    title = TranslatedField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    class Meta:
        model = Consultation
        geo_field = "area"
        id_field = "slug"
        fields = ["slug", "title", "status", "kind", "opens_at", "closes_at", "area"]


MULTIPOLYGON_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "RFC 7946 MultiPolygon in WGS84; null when the consultation has no perimeter.",
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {
                    "type": "array",
                    "minItems": 4,
                    "items": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 2,
                        "items": {"type": "number", "format": "double"},
                        "description": "[longitude, latitude]",
                    },
                },
            },
        },
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(MULTIPOLYGON_SCHEMA)
class _MultiPolygonSchemaField(serializers.JSONField):
    pass


class ConsultationFeaturePropertiesSerializer(serializers.Serializer):
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    kind = serializers.ChoiceField(choices=Consultation.Kind.choices)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class ConsultationFeatureSerializer(serializers.Serializer):
    """A consultation on the map: a GeoJSON Feature whose id is the consultation's slug."""

    type = serializers.ChoiceField(choices=[("Feature", "Feature")])
    id = serializers.SlugField(help_text=_("The slug of the consultation."))
    geometry = _MultiPolygonSchemaField(allow_null=True)
    properties = ConsultationFeaturePropertiesSerializer()


class ConsultationFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("FeatureCollection", "FeatureCollection")])
    features = ConsultationFeatureSerializer(many=True)


class ConsultationQuerySerializer(serializers.Serializer):
    """Point and radius filter of the list."""

    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    radius = serializers.FloatField(
        min_value=1, max_value=100_000, required=False, help_text=_("In metres.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        names = ("latitude", "longitude", "radius")
        given = [name for name in names if name in attrs]
        if given and len(given) != 3:
            missing = next(name for name in names if name not in attrs)
            raise serializers.ValidationError(
                {missing: _("latitude, longitude and radius go together.")}
            )
        return attrs


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()
