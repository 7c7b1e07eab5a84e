"""Shapes of official answers."""

from __future__ import annotations

from rest_framework import serializers

from contributions.models import OfficialAnswer
from contributions.serializers._common import DirectionBriefSerializer


class OfficialAnswerSerializer(serializers.ModelSerializer):
    direction = DirectionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OfficialAnswer
        fields = ["status", "body", "direction", "created_at", "updated_at"]


class AnswerCreateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OfficialAnswer.Status.choices)
    body = serializers.CharField(max_length=5000)
