"""Shapes of contributions, supports and flags."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from contributions.models import CharterReason, Contribution, Theme
from contributions.serializers._common import CharterReasonSerializer
from contributions.serializers.answers import OfficialAnswerSerializer
from geo.fields import PointField


class ContributionSerializer(serializers.ModelSerializer):
    """A contribution as the public sees it: the author's display name, never the email."""

    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    location = GeometryField(allow_null=True, read_only=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    commune = serializers.SlugRelatedField(slug_field="insee_code", read_only=True, allow_null=True)
    support_count = serializers.IntegerField(read_only=True)
    reply_count = serializers.IntegerField(read_only=True)
    supported = serializers.BooleanField(
        read_only=True, help_text=_("Whether the viewer supports it (false when anonymous).")
    )
    mine = serializers.BooleanField(
        read_only=True, help_text=_("Whether the viewer wrote it (false when anonymous).")
    )
    answer = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "consultation",
            "kind",
            "parent",
            "depth",
            "body",
            "location",
            "theme",
            "commune",
            "author_name",
            "state",
            "support_count",
            "reply_count",
            "supported",
            "mine",
            "answer",
            "created_at",
            "published_at",
            "edited_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OfficialAnswerSerializer(allow_null=True))
    def get_answer(self, contribution: Contribution) -> dict[str, Any] | None:
        # A missing reverse one-to-one raises an AttributeError subclass: None then.
        answer = getattr(contribution, "answer", None)
        return OfficialAnswerSerializer(answer).data if answer else None


class MyContributionSerializer(ContributionSerializer):
    moderation_reason = CharterReasonSerializer(read_only=True, allow_null=True)

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "moderation_reason", "moderation_message"]
        read_only_fields = fields


class ContributionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Contribution.Kind.choices)
    body = serializers.CharField(max_length=5000, trim_whitespace=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Contribution.objects.all(), required=False, allow_null=True
    )
    location = PointField(required=False, allow_null=True, help_text=_("A GeoJSON Point."))
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), required=False, allow_null=True
    )


class ContributionUpdateSerializer(ContributionCreateSerializer):
    kind = None
    parent = None
    body = serializers.CharField(max_length=5000, required=False)


class FlagSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(queryset=CharterReason.objects.all())
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SupportSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    support_count = serializers.IntegerField()
