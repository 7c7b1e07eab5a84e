from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainSerializer

from backend import validators
from backend.models import Direction, Membership, Organisation, OrganisationRole, User


class NormalizedEmailField(serializers.EmailField):
    """An address in its one written form (see ``backend.validators.normalize_email``)."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return validators.normalize_email(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class DisplayNameField(serializers.CharField):
    """A name shown to others: composed (NFC), without invisible or control characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
        self.validators.append(validators.validate_display_name)

    def to_internal_value(self, data: Any) -> str:
        return validators.normalize_display_name(super().to_internal_value(data))


DEVICE_TOKEN_HELP = _(
    "The FCM token of this phone, when it has registered with /devices/: it moves to the "
    "account, and its interests become the account's when the account has none."
)


class RegisterSerializer(serializers.Serializer):
    email = NormalizedEmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    first_name = DisplayNameField(required=False, allow_blank=True)
    last_name = DisplayNameField(required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=["fr", "en"],
        required=False,
        help_text=_("Language of e-mails and notifications; that of Accept-Language when absent."),
    )
    device_token = serializers.CharField(
        required=False, write_only=True, max_length=4096, help_text=DEVICE_TOKEN_HELP
    )


class LoginSerializer(TokenObtainSerializer):
    """An email and a password; tokens are made by ``services.session_open``."""

    device_token = serializers.CharField(
        required=False, write_only=True, max_length=4096, help_text=DEVICE_TOKEN_HELP
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        super().validate(attrs)
        return {"user": self.user, "device_token": attrs.get("device_token", "")}


class MembershipSerializer(serializers.ModelSerializer):
    direction = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    direction_name = serializers.CharField(source="direction.name", read_only=True)
    organisation = serializers.SlugRelatedField(
        source="direction.organisation", slug_field="slug", read_only=True
    )

    class Meta:
        model = Membership
        fields = ["direction", "direction_name", "organisation", "role"]


class OrganisationRoleSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = OrganisationRole
        fields = ["organisation", "organisation_name", "role"]


class MeSerializer(serializers.ModelSerializer):
    first_name = DisplayNameField(required=False, allow_blank=True)
    last_name = DisplayNameField(required=False, allow_blank=True)
    memberships = MembershipSerializer(many=True, read_only=True)
    organisation_roles = OrganisationRoleSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "display_name",
            "language",
            "date_joined",
            "memberships",
            "organisation_roles",
        ]
        read_only_fields = ["id", "email", "display_name", "date_joined"]


class SessionSerializer(serializers.Serializer):
    """What registering and logging in answer: the tokens and the account, as ``/me/``."""

    access = serializers.CharField()
    refresh = serializers.CharField()
    user = MeSerializer()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class PasswordResetSerializer(serializers.Serializer):
    email = NormalizedEmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(help_text=_("The refresh token to revoke."))
    device_token = serializers.CharField(
        required=False,
        max_length=4096,
        help_text=_(
            "The FCM token of this phone: it stops receiving this account's notifications."
        ),
    )


# Organisations and directions are named by their slug, in paths, bodies and answers alike.


class DirectionSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Direction
        fields = ["slug", "name", "organisation", "email", "competences"]


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    directions = DirectionSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "kind",
            "name",
            "siren",
            "insee_code",
            "parent",
            "website",
            "directions",
        ]


class DirectionMemberSerializer(serializers.ModelSerializer):
    """A person working in a direction: ``id`` is what the assign body takes as ``agent``."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "display_name", "role"]


class MyDirectionSerializer(serializers.ModelSerializer):
    """A direction the person logged in works in, with their role there."""

    slug = serializers.SlugField(source="direction.slug", read_only=True)
    name = serializers.CharField(source="direction.name", read_only=True)
    organisation = serializers.SlugField(source="direction.organisation.slug", read_only=True)
    organisation_name = serializers.CharField(source="direction.organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["slug", "name", "organisation", "organisation_name", "role"]
