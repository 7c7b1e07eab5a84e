"""Shapes of meetings, registrations and documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from backend.translation import TranslatedField
from contributions.models import Document, Meeting, MeetingRegistration
from contributions.services.meetings import document_content_type


class DocumentSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    url = serializers.SerializerMethodField(help_text=_("Where to download the file."))
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["title", "url", "size", "content_type"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: Document) -> str:
        url = document.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_content_type(self, document: Document) -> str:
        return document_content_type(document)


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting of a consultation, read from ``meetings_with_seats`` (counts and the viewer's
    registration come annotated, never one query per meeting)."""

    title = TranslatedField()
    description = TranslatedField()
    location = GeometryField(allow_null=True, read_only=True)
    seats_taken = serializers.IntegerField(read_only=True)
    my_registration = serializers.ChoiceField(
        choices=MeetingRegistration.Status.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The viewer's registration: null when not registered (or anonymous)."),
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "location",
            "online_url",
            "registration",
            "capacity",
            "registration_url",
            "seats_taken",
            "my_registration",
        ]


class MeetingRegistrationSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MeetingRegistration
        fields = ["meeting", "status", "created_at"]
