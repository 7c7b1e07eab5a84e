"""Shapes of restitutions, their documents and key figures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contributions.models import Consultation, Restitution, RestitutionDocument, Status
from contributions.selectors.restitution import restitution_key_figures, restitution_overdue


class RestitutionDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RestitutionDocument
        fields = ["id", "title", "url", "size"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: RestitutionDocument) -> str:
        request = self.context.get("request")
        url = document.file.url
        return request.build_absolute_uri(url) if request else url


class ThemeFigureSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class CommuneFigureSerializer(serializers.Serializer):
    insee_code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class KindFiguresSerializer(serializers.Serializer):
    """Published contributions of each kind (every kind is present, zero when none)."""

    idea = serializers.IntegerField()
    question = serializers.IntegerField()
    comment = serializers.IntegerField()


class KeyFiguresSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    contributions = serializers.IntegerField()
    by_kind = KindFiguresSerializer()
    by_theme = ThemeFigureSerializer(many=True)
    by_commune = CommuneFigureSerializer(many=True)
    answered_share = serializers.FloatField(help_text=_("Between 0 and 1."))


class RestitutionSerializer(serializers.ModelSerializer):
    documents = RestitutionDocumentSerializer(many=True, read_only=True)
    key_figures = serializers.SerializerMethodField()

    class Meta:
        model = Restitution
        fields = ["body", "visibility", "published_at", "updated_at", "documents", "key_figures"]
        read_only_fields = ["published_at", "updated_at", "documents", "key_figures"]

    @extend_schema_field(KeyFiguresSerializer)
    def get_key_figures(self, restitution: Restitution) -> dict[str, Any]:
        return restitution_key_figures(restitution.consultation)


class RestitutionDocumentCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class StaffConsultationSerializer(serializers.ModelSerializer):
    """A closed consultation seen by its staff, flagged when its restitution is overdue."""

    restitution_overdue = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "closes_at",
            "restitution_published_at",
            "restitution_overdue",
        ]

    def get_restitution_overdue(self, consultation: Consultation) -> bool:
        return restitution_overdue(consultation=consultation)
