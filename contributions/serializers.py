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
from backend.serializers import DisplayNameField
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    ContactMessage,
    Contribution,
    Document,
    Meeting,
    MeetingRegistration,
    ModerationDecision,
    OfficialAnswer,
    Phase,
    Restitution,
    RestitutionDocument,
    Status,
    Theme,
)
from contributions.selectors.consultations import consultation_scope, public_url
from contributions.selectors.contributions import allowed_kinds
from contributions.selectors.restitution import restitution_key_figures, restitution_overdue
from contributions.services.meetings import document_content_type
from contributions.services.moderation import MODERATION_ACTIONS
from geo.fields import PointField
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
        return document_content_type(document)


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
    direction = DirectionBriefSerializer(read_only=True, allow_null=True)
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
        return public_url(consultation)


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
    allowed_kinds = serializers.SerializerMethodField(
        help_text=_("The kinds of contribution people may write here, while it is open.")
    )

    class Meta(ConsultationListSerializer.Meta):
        fields = [
            *ConsultationListSerializer.Meta.fields,
            "body",
            "phases",
            "meetings",
            "documents",
            "participation",
            "allowed_kinds",
            "restitution_published_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Contribution.Kind.choices))
    )
    def get_allowed_kinds(self, consultation: Consultation) -> list[str]:
        return allowed_kinds(consultation)

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
        scope = consultation_scope(consultation)
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


# Contributions and moderation --------------------------------------------------------


class CharterReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = CharterReason
        fields = ["id", "code", "label", "article"]


class OfficialAnswerSerializer(serializers.ModelSerializer):
    direction = DirectionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OfficialAnswer
        fields = ["status", "body", "direction", "created_at", "updated_at"]


class ContributionSerializer(serializers.ModelSerializer):
    """A contribution as the public sees it: the author's display name, never the email."""

    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    location = GeometryField(allow_null=True, read_only=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    commune = serializers.SlugRelatedField(slug_field="insee_code", read_only=True, allow_null=True)
    support_count = serializers.IntegerField(read_only=True)
    reply_count = serializers.IntegerField(read_only=True)
    supported_by_me = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "consultation",
            "kind",
            "parent",
            "depth",
            "body",
            "location",
            "theme",
            "commune",
            "author_name",
            "state",
            "support_count",
            "reply_count",
            "supported_by_me",
            "answer",
            "created_at",
            "published_at",
            "edited_at",
        ]
        read_only_fields = fields

    def get_supported_by_me(self, contribution: Contribution) -> bool:
        return bool(getattr(contribution, "supported_by_me", False))

    @extend_schema_field(OfficialAnswerSerializer(allow_null=True))
    def get_answer(self, contribution: Contribution) -> dict[str, Any] | None:
        # A missing reverse one-to-one raises an AttributeError subclass: None then.
        answer = getattr(contribution, "answer", None)
        return OfficialAnswerSerializer(answer).data if answer else None


class ContributionReplySerializer(ContributionSerializer):
    replies = serializers.SerializerMethodField()

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "replies"]
        read_only_fields = fields

    @extend_schema_field(ContributionSerializer(many=True))
    def get_replies(self, contribution: Contribution) -> list[dict[str, Any]]:
        replies = getattr(contribution, "visible_replies", [])
        return ContributionSerializer(replies, many=True, context=self.context).data


class ContributionDetailSerializer(ContributionSerializer):
    replies = ContributionReplySerializer(many=True, read_only=True, source="visible_replies")

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "replies"]
        read_only_fields = fields


class MyContributionSerializer(ContributionSerializer):
    moderation_reason = CharterReasonSerializer(read_only=True, allow_null=True)

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "moderation_reason", "moderation_message"]
        read_only_fields = fields


class ContributionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Contribution.Kind.choices)
    body = serializers.CharField(max_length=5000, trim_whitespace=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Contribution.objects.all(), required=False, allow_null=True
    )
    location = PointField(required=False, allow_null=True, help_text=_("A GeoJSON Point."))
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), required=False, allow_null=True
    )


class ContributionUpdateSerializer(ContributionCreateSerializer):
    kind = None
    parent = None
    body = serializers.CharField(max_length=5000, required=False)


class FlagSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(queryset=CharterReason.objects.all())
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SupportSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    support_count = serializers.IntegerField()


class AnswerCreateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OfficialAnswer.Status.choices)
    body = serializers.CharField(max_length=5000)


class ModerationItemSerializer(ContributionSerializer):
    """A contribution in the moderation queue."""

    flag_count = serializers.IntegerField(read_only=True)
    flagged_at = serializers.DateTimeField(read_only=True)
    support_count = None
    reply_count = None
    supported_by_me = None
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


class RestitutionDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RestitutionDocument
        fields = ["id", "title", "url", "size"]

    def get_url(self, document: RestitutionDocument) -> str:
        request = self.context.get("request")
        url = document.file.url
        return request.build_absolute_uri(url) if request else url


class KeyFiguresSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    contributions = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    by_theme = serializers.ListField(child=serializers.DictField())
    by_commune = serializers.ListField(child=serializers.DictField())
    answered_share = serializers.FloatField()


class RestitutionSerializer(serializers.ModelSerializer):
    documents = RestitutionDocumentSerializer(many=True, read_only=True)
    key_figures = serializers.SerializerMethodField()

    class Meta:
        model = Restitution
        fields = ["body", "visibility", "published_at", "updated_at", "documents", "key_figures"]
        read_only_fields = ["published_at", "updated_at", "documents", "key_figures"]

    @extend_schema_field(KeyFiguresSerializer)
    def get_key_figures(self, restitution: Restitution) -> dict[str, Any]:
        return restitution_key_figures(restitution.consultation)


class RestitutionDocumentCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class StaffConsultationSerializer(serializers.ModelSerializer):
    """A closed consultation seen by its staff, flagged when its restitution is overdue."""

    restitution_overdue = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "closes_at",
            "restitution_published_at",
            "restitution_overdue",
        ]

    def get_restitution_overdue(self, consultation: Consultation) -> bool:
        return restitution_overdue(consultation=consultation)
