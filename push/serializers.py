from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from geo.models import Commune
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
        child=serializers.SlugField(max_length=100), max_length=50, required=False
    )
    channels = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices)),
        required=False,
        help_text="For each kind of notification, the channels wanted: push, email.",
    )

    class Meta:
        model = Preferences
        fields = ["communes", "themes", "channels"]

    def validate_channels(self, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(Kind.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown kind(s) of notification: %(kinds)s. Known kinds: %(known)s.")
                % {"kinds": ", ".join(unknown), "known": ", ".join(Kind.values)}
            )
        return {kind: sorted(set(channels)) for kind, channels in value.items()}


class LinkSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "is_read"]

    def _language(self) -> str:
        request = self.context.get("request")
        return getattr(request, "LANGUAGE_CODE", "fr") if request else "fr"

    def get_title(self, notification: Notification) -> str:
        return notification.title(self._language())

    def get_body(self, notification: Notification) -> str:
        return notification.body(self._language())

    def get_link(self, notification: Notification) -> dict[str, str] | None:
        if not notification.link_type:
            return None
        return {"type": notification.link_type, "id": notification.link_id}

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None
