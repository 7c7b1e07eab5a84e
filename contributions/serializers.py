"""Shapes of the consultation API; no business rule lives here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from backend.models import Direction, Organisation
from contributions import selectors, services
from contributions.models import (
    Actor,
    Consultation,
    ContactMessage,
    Document,
    Meeting,
    MeetingRegistration,
    Phase,
    Status,
    Theme,
)
from geo.models import Commune


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class DirectionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Direction
        fields = ["slug", "name"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["name", "description", "starts_on", "ends_on"]


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Where to download the file."))
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["title", "url", "size", "content_type"]

    def get_url(self, document: Document) -> str:
        url = document.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_content_type(self, document: Document) -> str:
        return services.document_content_type(document)


class MeetingSerializer(serializers.ModelSerializer):
    location = GeometryField(allow_null=True, read_only=True)
    seats_taken = serializers.SerializerMethodField()

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
        ]

    def get_seats_taken(self, meeting: Meeting) -> int:
        return sum(
            1
            for registration in meeting.registrations.all()
            if registration.status == MeetingRegistration.Status.CONFIRMED
        )


class ConsultationListSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    direction = DirectionBriefSerializer(read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    communes = serializers.SlugRelatedField(slug_field="insee_code", many=True, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    is_relayed = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The public page of the consultation."))

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "summary",
            "organisation",
            "direction",
            "kind",
            "legal_basis",
            "themes",
            "communes",
            "opens_at",
            "closes_at",
            "status",
            "is_published",
            "is_relayed",
            "external_url",
            "url",
            "cover_image",
            "cover_alt",
        ]

    def get_url(self, consultation: Consultation) -> str:
        return selectors.public_url(consultation)


class ParticipationSerializer(serializers.Serializer):
    contributions_allowed = serializers.BooleanField()
    comments_allowed = serializers.BooleanField()
    moderation_mode = serializers.ChoiceField(choices=Consultation.Moderation.choices)
    is_open = serializers.BooleanField()


class ConsultationDetailSerializer(ConsultationListSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    participation = serializers.SerializerMethodField()

    class Meta(ConsultationListSerializer.Meta):
        fields = [
            *ConsultationListSerializer.Meta.fields,
            "body",
            "phases",
            "meetings",
            "documents",
            "participation",
            "restitution_published_at",
        ]

    @extend_schema_field(ParticipationSerializer)
    def get_participation(self, consultation: Consultation) -> dict[str, Any]:
        local = not consultation.is_relayed
        return {
            "contributions_allowed": local and consultation.contributions_allowed,
            "comments_allowed": local and consultation.comments_allowed,
            "moderation_mode": consultation.moderation_mode,
            "is_open": consultation.accepts_participation,
        }


@extend_schema_field(OpenApiTypes.OBJECT)
class ScopeField(GeometryField):
    """The perimeter of a consultation: its own area, else the union of its communes."""

    def to_representation(self, consultation: Consultation) -> Any:
        scope = selectors.consultation_scope(consultation)
        return None if scope is None else super().to_representation(scope)


class ConsultationScopeSerializer(GeoFeatureModelSerializer):
    """A consultation on the map (GeoJSON Feature)."""

    # Named after the model field so that the schema knows it is a MultiPolygon.
    area = ScopeField(source="*", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    class Meta:
        model = Consultation
        geo_field = "area"
        id_field = "slug"
        fields = ["slug", "title", "status", "kind", "opens_at", "closes_at", "area"]


class ConsultationQuerySerializer(serializers.Serializer):
    """Point and radius filter of the list."""

    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    radius = serializers.FloatField(
        min_value=1, max_value=100_000, required=False, help_text=_("In metres.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("lat", "lon", "radius") if name in attrs]
        if given and len(given) != 3:
            missing = next(name for name in ("lat", "lon", "radius") if name not in attrs)
            raise serializers.ValidationError({missing: _("lat, lon and radius go together.")})
        return attrs


class MeetingRegistrationSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MeetingRegistration
        fields = ["meeting", "status", "created_at"]


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()


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


class ActorSerializer(serializers.ModelSerializer):
    communes = serializers.SlugRelatedField(
        slug_field="insee_code", many=True, queryset=Commune.objects.all(), required=False
    )
    themes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Theme.objects.all(), required=False
    )
    contact_email = serializers.EmailField(
        help_text=_("Only shown to the owner and to organisation admins.")
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

    def to_representation(self, actor: Actor) -> dict[str, Any]:
        data = super().to_representation(actor)
        request = self.context.get("request")
        user = request.user if request else None
        if not (user and (actor.owner_id == user.pk or self.context.get("can_validate"))):
            # The contact address is private: the public directory never shows it.
            data.pop("contact_email", None)
            data.pop("email_consent", None)
        return data


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
