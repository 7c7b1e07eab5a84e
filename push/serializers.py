from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from geo.models import Commune
from push import links
from push.models import Channel, Device, Kind, Notification, Preferences


class DeviceSerializer(serializers.ModelSerializer):
    token = serializers.CharField(max_length=4096)
    linked_to_account = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = ["token", "platform", "locale", "app_version", "is_active", "linked_to_account"]
        read_only_fields = ["is_active", "linked_to_account"]

    def get_linked_to_account(self, device: Device) -> bool:
        return device.user_id is not None


class PreferencesSerializer(serializers.ModelSerializer):
    communes = serializers.SlugRelatedField(
        many=True,
        slug_field="insee_code",
        queryset=Commune.objects.all(),
        required=False,
        help_text="INSEE codes of the communes of interest.",
    )
    themes = serializers.ListField(
        child=serializers.SlugField(max_length=100),
        max_length=50,
        required=False,
        help_text="Slugs of the themes of interest, among /api/v1/consultation-themes/.",
    )
    channels = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices)),
        required=False,
        help_text="For each kind of notification, the channels wanted: push, email.",
    )

    class Meta:
        model = Preferences
        fields = ["communes", "themes", "channels"]

    def validate_themes(self, value: list[str]) -> list[str]:
        themes = apps.get_model(settings.PUSH_THEME_MODEL).objects
        unknown = sorted(
            set(value) - set(themes.filter(slug__in=value).values_list("slug", flat=True))
        )
        if unknown:
            raise serializers.ValidationError(
                _("Unknown theme(s): %(themes)s. The themes are listed at %(path)s.")
                % {"themes": ", ".join(unknown), "path": "/api/v1/consultation-themes/"}
            )
        return sorted(set(value))

    def validate_channels(self, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(Kind.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown kind(s) of notification: %(kinds)s. Known kinds: %(known)s.")
                % {"kinds": ", ".join(unknown), "known": ", ".join(Kind.values)}
            )
        return {kind: sorted(set(channels)) for kind, channels in value.items()}


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    link_type = serializers.SerializerMethodField(
        help_text="What the notification leads to (consultation, contribution, moderation, "
        "signalement, agent-signalement); null when nothing in particular."
    )
    link_id = serializers.SerializerMethodField(
        help_text="The id of that object (a slug for a consultation); null with link_type."
    )
    link_url = serializers.SerializerMethodField(
        help_text="The web page of that object; the app opens the same path as a deep link."
    )
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link_type",
            "link_id",
            "link_url",
            "created_at",
            "read_at",
            "is_read",
        ]

    def _language(self) -> str:
        request = self.context.get("request")
        return getattr(request, "LANGUAGE_CODE", "fr") if request else "fr"

    def get_title(self, notification: Notification) -> str:
        return notification.title(self._language())

    def get_body(self, notification: Notification) -> str:
        return notification.body(self._language())

    def get_link_type(self, notification: Notification) -> str | None:
        return notification.link_type or None

    def get_link_id(self, notification: Notification) -> str | None:
        return notification.link_id if notification.link_type else None

    def get_link_url(self, notification: Notification) -> str | None:
        if not notification.link_type:
            return None
        return links.link_url(notification.link_type, notification.link_id)

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None
