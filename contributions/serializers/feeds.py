"""The shape of the public JSON feed."""

from __future__ import annotations

from rest_framework import serializers


class FeedSerializer(serializers.Serializer):
    """The public JSON feed (version 1.0): one item per published consultation of this platform.

    Items: id, slug, url, title, summary, body (sanitised HTML), organisation
    {slug, name, kind, insee_code}, kind, legal_basis, themes [{slug, name}],
    communes [INSEE codes], opens_at, closes_at, status, updated_at, meetings
    [{title, starts_at, ends_at, place_name, address, online_url}].
    """

    version = serializers.CharField()
    title = serializers.CharField()
    home_page_url = serializers.URLField()
    feed_url = serializers.URLField()
    generated_at = serializers.DateTimeField()
    items = serializers.ListField(child=serializers.DictField())
