"""Shapes of the moderation queue, decisions and the log."""

from __future__ import annotations

from rest_framework import serializers

from contributions.models import CharterReason, ModerationDecision
from contributions.serializers._common import CharterReasonSerializer
from contributions.serializers.contributions import ContributionSerializer
from contributions.services.moderation import MODERATION_ACTIONS


class ModerationItemSerializer(ContributionSerializer):
    """A contribution in the moderation queue."""

    flag_count = serializers.IntegerField(read_only=True)
    flagged_at = serializers.DateTimeField(read_only=True)
    support_count = None
    reply_count = None
    supported = None
    mine = None
    answer = None

    class Meta(ContributionSerializer.Meta):
        fields = [
            "id",
            "consultation",
            "kind",
            "parent",
            "body",
            "location",
            "author_name",
            "state",
            "flag_count",
            "flagged_at",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(a, ModerationDecision.Action(a).label) for a in MODERATION_ACTIONS]
    )
    reason = serializers.PrimaryKeyRelatedField(
        queryset=CharterReason.objects.all(), required=False, allow_null=True
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ModerationDecisionSerializer(serializers.ModelSerializer):
    moderator = serializers.SerializerMethodField()
    reason = CharterReasonSerializer(read_only=True, allow_null=True)
    consultation = serializers.SlugRelatedField(
        source="contribution.consultation", slug_field="slug", read_only=True
    )

    class Meta:
        model = ModerationDecision
        fields = [
            "id",
            "created_at",
            "moderator",
            "contribution",
            "consultation",
            "action",
            "from_state",
            "to_state",
            "reason",
            "message",
        ]
        read_only_fields = fields

    def get_moderator(self, decision: ModerationDecision) -> str | None:
        """Staff read the log: the moderator's email says who, unambiguously."""
        return decision.moderator.email if decision.moderator else None
