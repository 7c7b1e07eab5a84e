"""The shape of an actor of the directory."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.serializers import DisplayNameField
from contributions.models import Actor, Theme
from geo.models import Commune


class ActorSerializer(serializers.ModelSerializer):
    # Shown in the public directory: no invisible or control characters.
    name = DisplayNameField(max_length=200)
    communes = serializers.SlugRelatedField(
        slug_field="insee_code", many=True, queryset=Commune.objects.all(), required=False
    )
    themes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Theme.objects.all(), required=False
    )
    # Not required in answers: only the owner and the admins see them.
    contact_email = serializers.EmailField(
        required=False, help_text=_("Only shown to the owner and to organisation admins.")
    )
    is_validated = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = [
            "id",
            "kind",
            "name",
            "description",
            "website",
            "communes",
            "themes",
            "contact_email",
            "email_consent",
            "is_public",
            "is_validated",
        ]
        read_only_fields = ["id", "is_validated"]

    def get_is_validated(self, actor: Actor) -> bool:
        return actor.validated_at is not None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("contact_email"):
            raise serializers.ValidationError({"contact_email": [_("This field is required.")]})
        return attrs

    def to_representation(self, actor: Actor) -> dict[str, Any]:
        data = super().to_representation(actor)
        request = self.context.get("request")
        user = request.user if request else None
        if not (user and (actor.owner_id == user.pk or self.context.get("can_validate"))):
            # The contact address is private: the public directory never shows it.
            data.pop("contact_email", None)
            data.pop("email_consent", None)
        return data
