"""The shape of the public JSON feed."""

from __future__ import annotations

from rest_framework import serializers

from contributions.models import Consultation, Status


class FeedOrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    insee_code = serializers.CharField(allow_blank=True)


class FeedThemeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class FeedMeetingSerializer(serializers.Serializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place_name = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    online_url = serializers.CharField(allow_blank=True)


class FeedItemSerializer(serializers.Serializer):
    """One published consultation of this platform, in French (the feed's language)."""

    id = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True, help_text="Sanitised HTML.")
    organisation = FeedOrganisationSerializer()
    kind = serializers.ChoiceField(choices=Consultation.Kind.choices)
    legal_basis = serializers.CharField(allow_blank=True)
    themes = FeedThemeSerializer(many=True)
    communes = serializers.ListField(child=serializers.CharField(), help_text="INSEE codes.")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Status.choices)
    updated_at = serializers.DateTimeField()
    meetings = FeedMeetingSerializer(many=True)


class FeedSerializer(serializers.Serializer):
    """The public JSON feed (version 1.0): one item per published consultation of this platform.

    A document other platforms import whole (``manage.py import_consultations``), not a list
    an app pages through: it keeps its own shape.
    """

    version = serializers.CharField()
    title = serializers.CharField()
    home_page_url = serializers.URLField()
    feed_url = serializers.URLField()
    generated_at = serializers.DateTimeField()
    items = FeedItemSerializer(many=True)
