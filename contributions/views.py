"""Thin views: validate, call one service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.models import Organisation
from backend.parsers import MultiPartParser
from backend.renderers import GeoJSONRenderer
from backend.throttling import ScopedRateThrottle, throttle_by_address
from contributions import calendar, serializers
from contributions.filters import ConsultationFilter
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    ContactMessage,
    Contribution,
    Meeting,
    ModerationDecision,
    Restitution,
)
from contributions.permissions import (
    CanAnswerContribution,
    CanPublishConsultation,
    CanValidateActors,
    CanWriteRestitution,
    IsActorOwner,
    IsContactStaff,
    IsContributionAuthor,
    IsModerator,
    IsNotContributionAuthor,
    IsOrganisationAdmin,
    IsOrganisationStaff,
)
from contributions.selectors.actors import actors_visible, can_validate_actors
from contributions.selectors.consultations import (
    consultation_detail,
    consultation_list,
    consultations_near,
    public_url,
)
from contributions.selectors.contact import contact_messages_for
from contributions.selectors.contributions import (
    contribution_detail,
    contributions_of,
    my_contributions,
)
from contributions.selectors.feeds import consultation_feed
from contributions.selectors.meetings import meetings_public
from contributions.selectors.moderation import (
    charter_of,
    moderatable,
    moderation_log,
    moderation_queue,
)
from contributions.selectors.restitution import can_read_restitution, staff_closed_consultations
from contributions.services.actors import actor_register, actor_update, actor_validate
from contributions.services.answers import contribution_answer
from contributions.services.consultations import (
    consultation_follow,
    consultation_publish,
    consultation_unfollow,
    organisation_follow,
    organisation_unfollow,
)
from contributions.services.contact import (
    contact_message_close,
    contact_message_create,
    contact_message_redirect,
    contact_message_reply,
)
from contributions.services.contributions import (
    contribution_create,
    contribution_flag,
    contribution_support,
    contribution_unsupport,
    contribution_update,
)
from contributions.services.meetings import meeting_register, meeting_unregister
from contributions.services.moderation import moderation_decide
from contributions.services.restitution import (
    restitution_add_document,
    restitution_publish,
    restitution_save,
)

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@extend_schema(parameters=[serializers.ConsultationQuerySerializer])
class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published consultations, forever; drafts only for the staff of their organisation."""

    queryset = Consultation.objects.none()
    lookup_field = "slug"
    filterset_class = ConsultationFilter
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = ["opens_at", "closes_at", "title", "published_at"]
    ordering = ["-opens_at", "pk"]

    def get_queryset(self) -> QuerySet[Consultation]:
        if self.action == "retrieve" or self.action in ("follow", "publish"):
            return consultation_detail(user=self.request.user)
        queryset = consultation_list(user=self.request.user)
        query = serializers.ConsultationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if "radius" in query.validated_data:
            queryset = consultations_near(
                queryset,
                latitude=query.validated_data["lat"],
                longitude=query.validated_data["lon"],
                radius_m=query.validated_data["radius"],
            )
        return queryset

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return serializers.ConsultationDetailSerializer
        if self.action == "map":
            return serializers.ConsultationScopeSerializer
        return serializers.ConsultationListSerializer

    @extend_schema(
        summary="Perimeters of the consultations for the map (GeoJSON)",
        responses={
            (200, "application/geo+json"): serializers.ConsultationScopeSerializer(many=True)
        },
    )
    @action(
        detail=False,
        url_path="map",
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
        pagination_class=None,
    )
    def map(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        return Response(self.get_serializer(queryset, many=True).data)

    @extend_schema(request=None, responses=serializers.FollowSerializer)
    @action(
        detail=True,
        methods=["post", "delete"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def follow(self, request: Request, slug: str) -> Response:
        """Follow (POST) or stop following (DELETE): new phases, meetings and the restitution."""
        consultation = self.get_object()
        if request.method == "DELETE":
            consultation_unfollow(consultation=consultation, user=request.user)
            return Response({"following": False})
        consultation_follow(consultation=consultation, user=request.user)
        return Response({"following": True})

    @extend_schema(request=None, responses=serializers.ConsultationDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishConsultation],
        filter_backends=[],
    )
    def publish(self, request: Request, slug: str) -> Response:
        """Staff: make a draft public for good; residents are alerted once it is open."""
        consultation = self.get_object()
        consultation_publish(consultation=consultation)
        consultation = self.get_queryset().get(pk=consultation.pk)
        return Response(serializers.ConsultationDetailSerializer(consultation).data)


class MeetingRegistrationView(APIView):
    """Register to a meeting (a seat, or the waiting list when full) or cancel."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.MeetingRegistrationSerializer

    def _meeting(self, request: Request, slug: str, meeting_id: int) -> Meeting:
        return get_object_or_404(
            Meeting,
            pk=meeting_id,
            consultation__in=Consultation.objects.visible_to(request.user).filter(slug=slug),
        )

    @extend_schema(request=None, responses={201: serializers.MeetingRegistrationSerializer})
    def post(self, request: Request, slug: str, meeting_id: int) -> Response:
        meeting = self._meeting(request, slug, meeting_id)
        registration = meeting_register(meeting_id=meeting.pk, user=request.user)
        return Response(
            serializers.MeetingRegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, meeting_id: int) -> Response:
        meeting = self._meeting(request, slug, meeting_id)
        meeting_unregister(meeting_id=meeting.pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationFollowView(APIView):
    """Be told when this organisation opens a consultation (POST), or stop (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.FollowSerializer

    @extend_schema(request=None, responses=serializers.FollowSerializer)
    def post(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        organisation_follow(organisation=organisation, user=request.user)
        return Response({"following": True})

    @extend_schema(request=None, responses=serializers.FollowSerializer)
    def delete(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        organisation_unfollow(organisation=organisation, user=request.user)
        return Response({"following": False})


class ConsultationFeedView(APIView):
    """The stable public feed other platforms import (``manage.py import_consultations``)."""

    renderer_classes = [JSONRenderer]
    pagination_class = None

    @extend_schema(responses=serializers.FeedSerializer, summary="Public JSON feed")
    def get(self, request: Request) -> Response:
        return Response(consultation_feed(feed_url=request.build_absolute_uri()))


@throttle_by_address
def consultation_atom(request: HttpRequest) -> HttpResponse:
    """Atom feed of the published consultations, newest opening first."""
    feed = Atom1Feed(
        title=_("Consultations of %(territory)s") % {"territory": settings.TERRITORY_NAME},
        link=settings.FRONTEND_URL,
        description=_("Projects submitted to public participation."),
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    consultations = (
        Consultation.objects.published().select_related("organisation").order_by("-opens_at")[:50]
    )
    for consultation in consultations:
        feed.add_item(
            title=consultation.title,
            link=public_url(consultation),
            description=consultation.summary,
            unique_id=public_url(consultation),
            pubdate=consultation.published_at or consultation.created_at,
            updateddate=consultation.updated_at,
            author_name=consultation.organisation.name,
            categories=[str(consultation.get_kind_display())],
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@throttle_by_address
def calendar_all(request: HttpRequest) -> HttpResponse:
    """Every meeting of every published consultation."""
    name = _("Meetings of the consultations of %(territory)s") % {
        "territory": settings.TERRITORY_NAME
    }
    return _calendar_response(calendar.calendar_of(meetings_public(), name=name), "meetings.ics")


@throttle_by_address
def calendar_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.published(), slug=slug)
    meetings = meetings_public().filter(consultation=consultation)
    return _calendar_response(
        calendar.calendar_of(meetings, name=consultation.title), f"{consultation.slug}.ics"
    )


@throttle_by_address
def calendar_meeting(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_public(), pk=meeting_id, consultation__slug=slug)
    return _calendar_response(
        calendar.calendar_of([meeting], name=meeting.title), f"meeting-{meeting.pk}.ics"
    )


class ActorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The actor directory: validated public actors, and one's own."""

    queryset = Actor.objects.none()
    serializer_class = serializers.ActorSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsActorOwner]

    def get_queryset(self) -> QuerySet[Actor]:
        return actors_visible(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "can_validate": can_validate_actors(user=self.request.user),
        }

    def perform_create(self, serializer: serializers.ActorSerializer) -> None:
        serializer.instance = actor_register(owner=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.ActorSerializer) -> None:
        serializer.instance = actor_update(actor=serializer.instance, **serializer.validated_data)

    @extend_schema(request=None, responses=serializers.ActorSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanValidateActors],
    )
    def validate(self, request: Request, pk: str) -> Response:
        """Organisation admins: list the actor in the directory."""
        actor = actor_validate(actor=self.get_object(), by=request.user)
        return Response(self.get_serializer(actor).data)


class ContactView(APIView):
    """Send a question or an idea to the platform; an acknowledgement is emailed."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "contact"

    @extend_schema(
        request=serializers.ContactCreateSerializer,
        responses={201: serializers.ContactAcknowledgementSerializer},
    )
    def post(self, request: Request) -> Response:
        data = serializers.ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        message = contact_message_create(author=user, **data.validated_data)
        return Response(
            serializers.ContactAcknowledgementSerializer(message).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=ContactMessage.Status.values),
    ]
)
class ContactMessageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Staff: the contact messages of their organisation, and those sent to their direction."""

    queryset = ContactMessage.objects.none()
    serializer_class = serializers.ContactMessageSerializer
    permission_classes = [permissions.IsAuthenticated, IsContactStaff]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ContactMessage]:
        queryset = contact_messages_for(user=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted in ContactMessage.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(request=serializers.ContactRedirectSerializer)
    @action(detail=True, methods=["post"])
    def redirect(self, request: Request, pk: str) -> Response:
        """Hand the message to a direction (by default, the one owning the consultation)."""
        message = self.get_object()  # who may act is checked before what they sent
        data = serializers.ContactRedirectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = contact_message_redirect(
            message=message, direction=data.validated_data.get("direction")
        )
        return Response(self.get_serializer(message).data)

    @extend_schema(request=serializers.ContactReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """Answer the sender by email."""
        message = self.get_object()  # who may act is checked before what they sent
        data = serializers.ContactReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = contact_message_reply(
            message=message, body=data.validated_data["body"], by=request.user
        )
        return Response(self.get_serializer(message).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        message = contact_message_close(message=self.get_object())
        return Response(self.get_serializer(message).data)


# Contributions and moderation --------------------------------------------------------


def _visible_consultation(request: Request, slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.visible_to(request.user), slug=slug)


def _fresh(request: Request, contribution: Contribution) -> Contribution:
    """Read back with the counts and replies the serializers show."""
    return contribution_detail(user=request.user).get(pk=contribution.pk)


class ConsultationContributionsView(generics.ListAPIView):
    """Top-level contributions of a consultation (GET); contribute with an account (POST)."""

    queryset = Contribution.objects.none()
    serializer_class = serializers.ContributionSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends: list = []
    throttle_scope = "contribution"

    def get_throttles(self):  # noqa: ANN201
        # Writing is limited per account and per address, reading only by the global limits.
        if self.request.method == "POST":
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        consultation = _visible_consultation(self.request, self.kwargs["slug"])
        return contributions_of(consultation=consultation, user=self.request.user)

    @extend_schema(
        request=serializers.ContributionCreateSerializer,
        responses={201: serializers.ContributionSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        data = serializers.ContributionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = contribution_create(
            consultation=consultation, author=request.user, **data.validated_data
        )
        return Response(
            serializers.ContributionSerializer(_fresh(request, contribution)).data,
            status=status.HTTP_201_CREATED,
        )


class ContributionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A contribution with its replies; its author edits it; others support or flag it."""

    queryset = Contribution.objects.none()
    serializer_class = serializers.ContributionDetailSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsContributionAuthor]
    filter_backends: list = []

    def get_throttles(self):  # noqa: ANN201
        if self.action == "flag":
            # Flags are limited per account and per address, beside the global limits.
            self.throttle_scope = "flag"
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return contribution_detail(user=self.request.user)

    @extend_schema(
        request=serializers.ContributionUpdateSerializer,
        responses=serializers.ContributionDetailSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """The author edits; under a priori moderation it waits for a moderator again."""
        contribution = self.get_object()
        data = serializers.ContributionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contribution_update(contribution=contribution, **data.validated_data)
        return Response(self.get_serializer(_fresh(request, contribution)).data)

    @extend_schema(request=None, responses=serializers.SupportSerializer)
    @action(
        detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated]
    )
    def support(self, request: Request, pk: str) -> Response:
        """« Je soutiens » (POST), or take it back (DELETE)."""
        contribution = self.get_object()
        if request.method == "DELETE":
            contribution_unsupport(contribution=contribution, user=request.user)
        else:
            contribution_support(contribution=contribution, user=request.user)
        contribution = _fresh(request, contribution)
        return Response(
            {
                "supported": request.method != "DELETE",
                "support_count": contribution.support_count,
            }
        )

    @extend_schema(request=serializers.FlagSerializer, responses={201: None})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, IsNotContributionAuthor],
    )
    def flag(self, request: Request, pk: str) -> Response:
        """Tell the moderators this breaks the charter; once per person."""
        contribution = self.get_object()
        data = serializers.FlagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution_flag(contribution_id=contribution.pk, user=request.user, **data.validated_data)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.AnswerCreateSerializer,
        responses=serializers.ContributionDetailSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanAnswerContribution],
    )
    def answer(self, request: Request, pk: str) -> Response:
        """The owning direction answers; the author and the supporters are told."""
        contribution = self.get_object()
        data = serializers.AnswerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution_answer(contribution=contribution, by=request.user, **data.validated_data)
        return Response(self.get_serializer(_fresh(request, contribution)).data)


class MyContributionsView(generics.ListAPIView):
    """My contributions, whatever their moderation state, with the reason of any refusal."""

    queryset = Contribution.objects.none()
    serializer_class = serializers.MyContributionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return my_contributions(user=self.request.user)


class CharterView(generics.ListAPIView):
    """The moderation charter of an organisation: the reasons moderators and flags cite."""

    queryset = CharterReason.objects.none()
    serializer_class = serializers.CharterReasonSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[CharterReason]:
        if getattr(self, "swagger_fake_view", False):
            return CharterReason.objects.none()
        organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return charter_of(organisation_id=organisation.pk)


@extend_schema(
    parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=["pending", "flagged"])]
)
class ModerationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Moderators: the queue of their organisations (pending and flagged, oldest first)."""

    queryset = Contribution.objects.none()
    serializer_class = serializers.ModerationItemSerializer
    permission_classes = [permissions.IsAuthenticated, IsModerator]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        if self.action == "decision":
            return moderatable(user=self.request.user)
        queryset = moderation_queue(user=self.request.user)
        wanted = self.request.query_params.get("state")
        if wanted == "pending":
            queryset = queryset.filter(state=Contribution.State.PENDING)
        elif wanted == "flagged":
            queryset = queryset.filter(flagged_at__isnull=False)
        return queryset

    @extend_schema(
        request=serializers.DecisionSerializer, responses=serializers.ModerationItemSerializer
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        """Publish, reject, hide or restore; reject and hide cite the charter."""
        contribution = self.get_object()
        data = serializers.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moderation_decide(
            contribution_id=contribution.pk, moderator=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=contribution.pk)).data)


class ModerationLogView(generics.ListAPIView):
    """Organisation admins: every moderation decision, newest first. Read only, for good."""

    queryset = ModerationDecision.objects.none()
    serializer_class = serializers.ModerationDecisionSerializer
    permission_classes = [permissions.IsAuthenticated, IsOrganisationAdmin]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ModerationDecision]:
        if getattr(self, "swagger_fake_view", False):
            return ModerationDecision.objects.none()
        return moderation_log(user=self.request.user)


class StaffRestitutionsView(generics.ListAPIView):
    """Staff: closed consultations, flagged when a regulatory restitution is overdue."""

    queryset = Consultation.objects.none()
    serializer_class = serializers.StaffConsultationSerializer
    permission_classes = [permissions.IsAuthenticated, IsOrganisationStaff]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Consultation]:
        if getattr(self, "swagger_fake_view", False):
            return Consultation.objects.none()
        return staff_closed_consultations(user=self.request.user)


class RestitutionView(APIView):
    """The restitution of a consultation: read it (per its visibility), or write it (PUT)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly, CanWriteRestitution]
    serializer_class = serializers.RestitutionSerializer

    def _consultation(self, request: Request, slug: str) -> Consultation:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        return consultation

    @extend_schema(responses=serializers.RestitutionSerializer)
    def get(self, request: Request, slug: str) -> Response:
        consultation = self._consultation(request, slug)
        restitution = get_object_or_404(
            Restitution.objects.select_related("consultation").prefetch_related("documents"),
            consultation=consultation,
        )
        if not can_read_restitution(user=request.user, restitution=restitution):
            if restitution.published_at is None:
                raise Http404
            raise PermissionDenied(_("This restitution is reserved to the participants."))
        return Response(
            serializers.RestitutionSerializer(restitution, context={"request": request}).data
        )

    @extend_schema(
        request=serializers.RestitutionSerializer, responses=serializers.RestitutionSerializer
    )
    def put(self, request: Request, slug: str) -> Response:
        consultation = self._consultation(request, slug)
        data = serializers.RestitutionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restitution = restitution_save(
            consultation=consultation, by=request.user, **data.validated_data
        )
        return Response(
            serializers.RestitutionSerializer(restitution, context={"request": request}).data
        )


class RestitutionPublishView(APIView):
    """Publish the restitution of a closed consultation; every participant is told once."""

    permission_classes = [permissions.IsAuthenticated, CanWriteRestitution]
    serializer_class = serializers.RestitutionSerializer

    @extend_schema(request=None, responses=serializers.RestitutionSerializer)
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        restitution = restitution_publish(consultation=consultation)
        return Response(
            serializers.RestitutionSerializer(restitution, context={"request": request}).data
        )


class RestitutionDocumentView(APIView):
    """Attach a document (PDF or image) to the restitution."""

    permission_classes = [permissions.IsAuthenticated, CanWriteRestitution]
    parser_classes = [MultiPartParser]
    serializer_class = serializers.RestitutionDocumentSerializer

    @extend_schema(
        request=serializers.RestitutionDocumentCreateSerializer,
        responses={201: serializers.RestitutionDocumentSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = _visible_consultation(request, slug)
        self.check_object_permissions(request, consultation)
        restitution = get_object_or_404(Restitution, consultation=consultation)
        data = serializers.RestitutionDocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = restitution_add_document(restitution=restitution, **data.validated_data)
        return Response(
            serializers.RestitutionDocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
