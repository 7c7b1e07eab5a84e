"""Brief shapes of organisations, directions and charter reasons."""

from __future__ import annotations

from rest_framework import serializers

from backend.models import Direction, Organisation
from contributions.models import CharterReason


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class DirectionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Direction
        fields = ["slug", "name"]


class CharterReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = CharterReason
        fields = ["id", "code", "label", "article"]
