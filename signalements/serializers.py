from __future__ import annotations

import math
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from backend import parsers
from backend.fields import DateTimeField
from backend.models import Direction, User
from backend.translation import TranslatedField, pick
from signalements import services, workflow
from signalements.models import (
    Category,
    Photo,
    Question,
    RejectReason,
    Signalement,
    SignalementEvent,
    Status,
    Theme,
)
from signalements.selectors.reports import NEARBY_DAYS, NEARBY_MAX_RADIUS_M, is_overdue
from signalements.services import MAX_DESCRIPTION, MAX_PHOTOS

# Catalogue ----------------------------------------------------------------------------------


class ThemeSerializer(serializers.ModelSerializer):
    name = TranslatedField(source="name")
    description = TranslatedField(source="description")

    class Meta:
        model = Theme
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "icon",
            "position",
            "is_active",
            "updated_at",
        ]


class QuestionChoiceSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(help_text=gettext_lazy("The label, in the reader's language."))


class QuestionSerializer(serializers.ModelSerializer):
    description = TranslatedField(source="description")
    datatype_description = TranslatedField(source="datatype_description")
    values = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "code",
            "variable",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ]

    @extend_schema_field(QuestionChoiceSerializer(many=True))
    def get_values(self, question: Question) -> list[dict[str, str]]:
        """The choices of a list question, each label in the reader's language."""
        return [
            {"key": str(item.get("key")), "name": pick(item.get("name", ""), item.get("name_en"))}
            for item in question.values
            if isinstance(item, dict)
        ]


class CategorySerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    default_direction = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    questions = QuestionSerializer(many=True, read_only=True)
    name = TranslatedField(source="name")
    description = TranslatedField(source="description")

    class Meta:
        model = Category
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "icon",
            "theme",
            "competence",
            "default_direction",
            "is_public",
            "photo_required",
            "duplicate_radius_m",
            "hours_to_acknowledge",
            "days_to_resolve",
            "questions",
            "position",
            "is_active",
            "updated_at",
        ]


class UpdatedSinceSerializer(serializers.Serializer):
    updated_since = DateTimeField(
        required=False,
        help_text=gettext_lazy(
            "Only what changed since then, inactive entries included so a cache can drop them."
        ),
    )


# Reading ------------------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer):
    large_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "position", "status", "large_url", "thumbnail_url", "width", "height"]

    def _url(self, field: Any) -> str | None:
        if not field:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    # Null while the photo is processing (or once it failed).
    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_large_url(self, photo: Photo) -> str | None:
        return self._url(photo.large) if photo.status == Photo.Status.READY else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, photo: Photo) -> str | None:
        return self._url(photo.thumbnail) if photo.status == Photo.Status.READY else None


class BriefCategorySerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = TranslatedField(source="name")

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "theme", "icon"]


class DirectionRefSerializer(serializers.Serializer):
    """A direction as reports show it: its slug (how the API names it) and its name."""

    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class EventSerializer(serializers.ModelSerializer):
    """A public step of the timeline: never an internal note nor an agent's name."""

    direction = DirectionRefSerializer(read_only=True, allow_null=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = SignalementEvent
        fields = ["id", "kind", "status", "message", "direction", "photos", "created_at"]


SIGNALEMENT_FIELDS = [
    "id",
    "category",
    "description",
    "status",
    "status_label",
    "latitude",
    "longitude",
    "address",
    "commune",
    "direction",
    "reporter_name",
    "supporters_count",
    "photos",
    "created_at",
    "updated_at",
]


class SignalementMixin(serializers.Serializer):
    """Fields shared by the JSON and GeoJSON forms; never an email or a phone number."""

    category = BriefCategorySerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    commune = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    supporters_count = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    @extend_schema_field(
        {"type": "object", "properties": {"insee_code": {"type": "string"}, "name": {}}}
    )
    def get_commune(self, signalement: Signalement) -> dict[str, str]:
        return {"insee_code": signalement.commune.insee_code, "name": signalement.commune.name}

    @extend_schema_field({"type": "object", "nullable": True})
    def get_direction(self, signalement: Signalement) -> dict[str, str] | None:
        direction = signalement.direction
        return {"slug": direction.slug, "name": direction.name} if direction else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reporter_name(self, signalement: Signalement) -> str | None:
        if signalement.anonymous or signalement.reporter is None:
            return None
        return signalement.reporter.display_name

    @extend_schema_field(OpenApiTypes.INT)
    def get_supporters_count(self, signalement: Signalement) -> int:
        count = getattr(signalement, "supporters_count", None)
        return count if count is not None else signalement.follows.count()


# What the viewer is to a report; false for an anonymous viewer. Lists read them from
# ``SignalementQuerySet.with_viewer`` (no query per row).
VIEWER_FIELDS = ["following", "mine", "can_reopen"]


class ViewerStateMixin(serializers.Serializer):
    following = serializers.SerializerMethodField(
        help_text=gettext_lazy("Whether I follow (support) this report.")
    )
    mine = serializers.SerializerMethodField(help_text=gettext_lazy("Whether I filed it."))
    can_reopen = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Whether I may reopen it now (POST .../reopen/): I filed it, it is resolved, "
            "and its resolution is recent enough."
        )
    )

    def _viewer(self) -> User | None:
        user = getattr(self.context.get("request"), "user", None)
        return user if getattr(user, "is_authenticated", False) else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_following(self, signalement: Signalement) -> bool:
        user = self._viewer()
        if user is None:
            return False
        follows = getattr(signalement, "viewer_follows", None)
        if follows is None:
            follows = signalement.follows.filter(user=user).exists()
        return bool(follows)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_mine(self, signalement: Signalement) -> bool:
        user = self._viewer()
        return user is not None and signalement.reporter_id == user.pk

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_reopen(self, signalement: Signalement) -> bool:
        if not self.get_mine(signalement):
            return False
        # The staff of a report move it by the staff's table, even when they filed it.
        staff = getattr(signalement, "viewer_is_staff", None)
        if staff is None:
            staff = workflow.is_staff_of(user=self._viewer(), signalement=signalement)
        return not staff and workflow.reporter_may_reopen(
            status=signalement.status, resolved_at=signalement.resolved_at, now=timezone.now()
        )


PUBLIC_FIELDS = [*SIGNALEMENT_FIELDS, *VIEWER_FIELDS]


class SignalementSerializer(ViewerStateMixin, SignalementMixin, serializers.ModelSerializer):
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Signalement
        fields = PUBLIC_FIELDS

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_latitude(self, signalement: Signalement) -> float:
        return signalement.location.y

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_longitude(self, signalement: Signalement) -> float:
        return signalement.location.x


class SignalementGeoSerializer(SignalementMixin, GeoFeatureModelSerializer):
    """A report as an RFC 7946 Feature."""

    class Meta:
        model = Signalement
        geo_field = "location"
        fields = [name for name in SIGNALEMENT_FIELDS if name not in ("latitude", "longitude")]


class NearbySerializer(SignalementSerializer):
    distance_m = serializers.SerializerMethodField()

    class Meta(SignalementSerializer.Meta):
        fields = [*PUBLIC_FIELDS, "distance_m"]

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_distance_m(self, signalement: Signalement) -> float | None:
        distance = getattr(signalement, "distance", None)
        return round(distance.m, 1) if distance is not None else None


# An answer is a text (texts, dates, a choice's key), a number or a list of choices' keys.
ANSWERS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "array", "items": {"type": "string"}},
        ]
    },
}


@extend_schema_field(ANSWERS_SCHEMA)
class AnswersField(serializers.JSONField):
    """Answers by question code; in a multipart form, the same object as a JSON string."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = parsers.loads(data) if data.strip() else {}
            except ParseError:
                raise serializers.ValidationError(_("A JSON object is expected.")) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("A JSON object is expected."))
        return data


class StaffSignalementSerializer(SignalementSerializer):
    """What staff see on top: how the report was routed, and the answers."""

    answers = AnswersField(read_only=True)
    routing = serializers.SerializerMethodField()

    class Meta(SignalementSerializer.Meta):
        fields = [*SIGNALEMENT_FIELDS, "answers", "routing"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "reason": {"type": "string"},
                "explanation": {"type": "string"},
                "rule": {"type": "integer", "nullable": True},
            },
            "required": ["reason", "explanation", "rule"],
        }
    )
    def get_routing(self, signalement: Signalement) -> dict[str, Any]:
        return {
            "reason": signalement.routing_reason,
            "explanation": signalement.routing_explanation,
            "rule": signalement.routing_rule_id,
        }


class TimelineMixin(serializers.Serializer):
    """The report's public steps, oldest first: ``timeline`` wherever a report shows them."""

    timeline = serializers.SerializerMethodField()

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, signalement: Signalement) -> list[dict[str, Any]]:
        # Lists prefetch them (``signalement_list_mine``); one report reads them here.
        events = getattr(signalement, "public_events", None)
        if events is None:
            events = (
                signalement.events.public().select_related("direction").prefetch_related("photos")
            )
        return EventSerializer(events, many=True, context=self.context).data


class SignalementCreateSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True).prefetch_related("questions"),
        error_messages={
            "does_not_exist": gettext_lazy("Unknown or inactive category."),
            "incorrect_type": gettext_lazy("Unknown or inactive category."),
        },
    )
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION, allow_blank=True, required=False, default=""
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    accuracy_m = serializers.FloatField(min_value=0, max_value=100_000, required=False)
    address = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    answers = AnswersField(
        required=False,
        default=dict,
        help_text=gettext_lazy(
            'Answers to the category\'s questions by code, e.g. {"depth": "10"}; '
            "in a multipart form, the same object as a JSON string."
        ),
    )
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        default=list,
        max_length=MAX_PHOTOS,
        error_messages={
            "max_length": gettext_lazy("At most {max_length} photos per report."),
        },
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_latitude, has_longitude = "latitude" in attrs, "longitude" in attrs
        if has_latitude != has_longitude:
            missing = "longitude" if has_latitude else "latitude"
            raise serializers.ValidationError({missing: [_("This field is required.")]})
        for name in ("latitude", "longitude", "accuracy_m"):
            if name in attrs and not math.isfinite(attrs[name]):
                raise serializers.ValidationError({name: [_("A valid number is required.")]})
        try:
            attrs["answers"] = services.signalement_answers_clean(
                category=attrs["category"], answers=attrs["answers"]
            )
        except services.AnswersInvalid as error:
            # Keyed by question code, as the app sent them: fields.answers.<code>.
            raise serializers.ValidationError({"answers": error.by_code}) from None
        return attrs


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        allow_empty=False,
        max_length=MAX_PHOTOS,
        error_messages={
            "max_length": gettext_lazy("At most {max_length} photos per report."),
        },
    )


class NearbyQuerySerializer(serializers.Serializer):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True),
        help_text=gettext_lazy("The category's id, as GET /api/v1/categories/ shows it."),
        error_messages={
            "does_not_exist": gettext_lazy("Unknown or inactive category."),
            "incorrect_type": gettext_lazy("Unknown or inactive category."),
        },
    )
    radius = serializers.IntegerField(
        min_value=1,
        max_value=NEARBY_MAX_RADIUS_M,
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "Distance in metres around the point (default: the category's "
                "duplicate_radius_m; at most {max})."
            ),
            max=NEARBY_MAX_RADIUS_M,
        ),
    )
    days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        default=NEARBY_DAYS,
        help_text=format_lazy(
            gettext_lazy(
                "Only reports filed within this many days (default {default}; at most 365)."
            ),
            default=NEARBY_DAYS,
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("latitude", "longitude"):
            if not math.isfinite(attrs[name]):
                raise serializers.ValidationError({name: [_("A valid number is required.")]})
        return attrs


class SignalementDetailSerializer(TimelineMixin, SignalementSerializer):
    """One public report with its public timeline."""

    class Meta(SignalementSerializer.Meta):
        fields = [*PUBLIC_FIELDS, "duplicate_of", "timeline"]


class FollowStateSerializer(serializers.Serializer):
    following = serializers.BooleanField(help_text=gettext_lazy("Whether I follow the report."))
    supporters_count = serializers.IntegerField()


class MySignalementSerializer(SignalementDetailSerializer):
    """The reporter's own view of a report: the public detail, with what only they see."""

    answers = AnswersField(read_only=True)

    class Meta(SignalementDetailSerializer.Meta):
        fields = [*SignalementDetailSerializer.Meta.fields, "anonymous", "is_public", "answers"]


class StaffSignalementDetailSerializer(SignalementDetailSerializer, StaffSignalementSerializer):
    """The public detail as its staff read it: with the answers and the routing."""

    answers = AnswersField(read_only=True)

    class Meta(SignalementDetailSerializer.Meta):
        fields = [*SignalementDetailSerializer.Meta.fields, "answers", "routing"]


# Field service ------------------------------------------------------------------------------


class StaffEventSerializer(EventSerializer):
    author = serializers.CharField(source="author.display_name", default=None, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "internal_note", "is_public", "author"]


class AgentSignalementSerializer(StaffSignalementSerializer):
    """A ticket in a direction's queue."""

    assigned_to = serializers.SerializerMethodField()
    reporter_email = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta(StaffSignalementSerializer.Meta):
        fields = [
            *StaffSignalementSerializer.Meta.fields,
            "assigned_to",
            "reporter_email",
            "acknowledge_due_at",
            "resolve_due_at",
            "overdue",
            "reject_reason",
            "duplicate_of",
        ]

    @extend_schema_field({"type": "object", "nullable": True})
    def get_assigned_to(self, signalement: Signalement) -> dict[str, Any] | None:
        agent = signalement.assigned_to
        return {"id": agent.pk, "name": agent.display_name} if agent else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reporter_email(self, signalement: Signalement) -> str | None:
        return signalement.reporter.email if signalement.reporter else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, signalement: Signalement) -> bool:
        return is_overdue(signalement)


class AgentSignalementDetailSerializer(AgentSignalementSerializer):
    """A ticket with every step of its ``timeline``, internal notes included."""

    timeline = serializers.SerializerMethodField()
    allowed_statuses = serializers.SerializerMethodField()

    class Meta(AgentSignalementSerializer.Meta):
        fields = [*AgentSignalementSerializer.Meta.fields, "timeline", "allowed_statuses"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Status.choices)))
    def get_allowed_statuses(self, signalement: Signalement) -> list[str]:
        """The statuses staff may move the report to now (POST .../transition/)."""
        return sorted(workflow.STAFF_TRANSITIONS[signalement.status])

    @extend_schema_field(StaffEventSerializer(many=True))
    def get_timeline(self, signalement: Signalement) -> list[dict[str, Any]]:
        events = signalement.events.select_related("direction", "author").prefetch_related("photos")
        return StaffEventSerializer(events, many=True, context=self.context).data


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    public_message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    internal_note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reject_reason = serializers.ChoiceField(
        choices=RejectReason.choices, required=False, allow_blank=True
    )
    photo = serializers.FileField(required=False, help_text="A photo of the fix.")


class ReopenSerializer(serializers.Serializer):
    public_message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AssignSerializer(serializers.Serializer):
    agent = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text=gettext_lazy(
            "The id of a member of the report's direction "
            "(GET /api/v1/directions/{slug}/members/), or null to unassign."
        ),
        error_messages={
            "does_not_exist": gettext_lazy("Unknown person: give the id of a member."),
            "incorrect_type": gettext_lazy("Unknown person: give the id of a member."),
        },
    )


class TransferSerializer(serializers.Serializer):
    direction = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Direction.objects.select_related("organisation"),
        help_text=gettext_lazy("The slug of the direction, as /api/v1/organisations/ shows it."),
        error_messages={
            "does_not_exist": gettext_lazy("Unknown direction: give its slug."),
            "invalid": gettext_lazy("Unknown direction: give its slug."),
        },
    )
    reason = serializers.CharField(max_length=1000)


class DuplicateSerializer(serializers.Serializer):
    original = serializers.PrimaryKeyRelatedField(
        queryset=Signalement.objects.all(),
        error_messages={
            "does_not_exist": gettext_lazy("Unknown report: give its id."),
            "incorrect_type": gettext_lazy("Unknown report: give its id."),
        },
    )


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class AgentCategoryField(serializers.SlugRelatedField):
    """A category by its slug, as lists and Open311's ``service_code`` show it, or its id."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("Unknown category: give its slug or its id."),
        "invalid": gettext_lazy("Unknown category: give its slug or its id."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", **kwargs)

    def to_internal_value(self, data: Any) -> Category:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        text = str(data)
        if text.isascii() and text.isdigit():
            if (pk := parsers.parse_int(text, low=1, high=2**63 - 1)) is None:
                self.fail("does_not_exist")
            found = self.get_queryset().filter(pk=pk).first()
            if found is None:
                self.fail("does_not_exist")
            return found
        return super().to_internal_value(text)


class RecategoriseSerializer(serializers.Serializer):
    category = AgentCategoryField(
        queryset=Category.objects.all(),
        help_text=gettext_lazy("The category's slug (its id is accepted too)."),
    )


@extend_schema_serializer(many=False)
class SignalementFeaturePageSerializer(serializers.Serializer):
    """A page of public reports as an RFC 7946 FeatureCollection; the page links and count
    are foreign members, as the JSON page has them."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    count = serializers.IntegerField(allow_null=True, help_text="Not counted: always null.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    features = serializers.ListField(child=SignalementGeoSerializer())


# Public figures -----------------------------------------------------------------------------


class StatsDelaySerializer(serializers.Serializer):
    median = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Half of the reports took at most this long.")
    )
    p90 = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Nine reports in ten took at most this long.")
    )


StatsByStatusSerializer = type(
    "StatsByStatusSerializer",
    (serializers.Serializer,),
    {status.value: serializers.IntegerField(help_text=status.label) for status in Status},
)


class StatsSerializer(serializers.Serializer):
    """The public figures of the reports matching the filters."""

    total = serializers.IntegerField(help_text=gettext_lazy("Reports matching the filters."))
    by_status = StatsByStatusSerializer(
        help_text=gettext_lazy("Reports by their current status; the counts add up to total.")
    )
    hours_to_acknowledge = StatsDelaySerializer(
        help_text=gettext_lazy(
            "Hours from filing to acknowledgement, over the reports acknowledged; "
            "null when there are none."
        )
    )
    hours_to_resolve = StatsDelaySerializer(
        help_text=gettext_lazy(
            "Hours from filing to resolution, over the reports whose resolution date is "
            "known; null when there are none."
        )
    )
    resolved = serializers.IntegerField(
        help_text=gettext_lazy(
            "Reports whose problem was fixed: those now resolved plus those closed "
            "(a report is closed once resolved), i.e. by_status.resolu + by_status.clos."
        )
    )
    resolved_within_target_share = serializers.FloatField(
        allow_null=True,
        help_text=gettext_lazy(
            "Among the resolved reports with a resolution date and a target date, the share "
            "resolved by the target (0 to 1); null when there are none."
        ),
    )
    computed_at = DateTimeField(
        help_text=gettext_lazy("When the figures were computed; they are kept for a while.")
    )
