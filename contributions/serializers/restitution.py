"""Shapes of restitutions, their documents and key figures."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contributions.models import Consultation, Restitution, RestitutionDocument, Status
from contributions.selectors.restitution import restitution_key_figures, restitution_overdue


class RestitutionDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RestitutionDocument
        fields = ["id", "title", "url", "size"]

    def get_url(self, document: RestitutionDocument) -> str:
        request = self.context.get("request")
        url = document.file.url
        return request.build_absolute_uri(url) if request else url


class KeyFiguresSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    contributions = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    by_theme = serializers.ListField(child=serializers.DictField())
    by_commune = serializers.ListField(child=serializers.DictField())
    answered_share = serializers.FloatField()


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
