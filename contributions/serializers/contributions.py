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
    supported_by_me = serializers.SerializerMethodField()
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
            "supported_by_me",
            "answer",
            "created_at",
            "published_at",
            "edited_at",
        ]
        read_only_fields = fields

    def get_supported_by_me(self, contribution: Contribution) -> bool:
        return bool(getattr(contribution, "supported_by_me", False))

    @extend_schema_field(OfficialAnswerSerializer(allow_null=True))
    def get_answer(self, contribution: Contribution) -> dict[str, Any] | None:
        # A missing reverse one-to-one raises an AttributeError subclass: None then.
        answer = getattr(contribution, "answer", None)
        return OfficialAnswerSerializer(answer).data if answer else None


class ContributionReplySerializer(ContributionSerializer):
    replies = serializers.SerializerMethodField()

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "replies"]
        read_only_fields = fields

    @extend_schema_field(ContributionSerializer(many=True))
    def get_replies(self, contribution: Contribution) -> list[dict[str, Any]]:
        replies = getattr(contribution, "visible_replies", [])
        return ContributionSerializer(replies, many=True, context=self.context).data


class ContributionDetailSerializer(ContributionSerializer):
    replies = ContributionReplySerializer(many=True, read_only=True, source="visible_replies")

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "replies"]
        read_only_fields = fields


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
