"""Shapes of contact messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.models import Direction
from contributions.models import Consultation, ContactMessage


class ContactCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactMessage.Kind.choices)
    consultation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Consultation.objects.published(),
        required=False,
        allow_null=True,
    )
    body = serializers.CharField(max_length=5000)
    email = serializers.EmailField(
        required=False, help_text=_("Needed when not logged in: where the answer goes.")
    )


class ContactMessageSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    direction = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ContactMessage
        fields = [
            "id",
            "kind",
            "organisation",
            "consultation",
            "email",
            "body",
            "status",
            "direction",
            "reply",
            "replied_at",
            "closed_at",
            "created_at",
        ]


class ContactAcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactMessage
        fields = ["id", "kind", "status", "created_at"]


class ContactRedirectSerializer(serializers.Serializer):
    direction = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Direction.objects.filter(is_active=True),
        required=False,
        help_text=_("By default, the direction owning the consultation."),
    )


class ContactReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
