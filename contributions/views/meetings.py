"""Meeting registrations and iCalendar files of meetings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.renderers import ICalendarRenderer, OneFormatNegotiation
from contributions import calendar
from contributions.models import Consultation, Meeting
from contributions.selectors.meetings import meetings_public
from contributions.serializers.meetings import MeetingRegistrationSerializer
from contributions.services.meetings import meeting_register, meeting_unregister

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CALENDAR_RESPONSE = {
    (200, "text/calendar"): OpenApiResponse(
        OpenApiTypes.STR, description="An iCalendar file (RFC 5545) of the meetings."
    )
}


class MeetingRegistrationView(APIView):
    """Register to a meeting (a seat, or the waiting list when full) or cancel."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MeetingRegistrationSerializer

    def _meeting(self, request: Request, slug: str, meeting_id: int) -> Meeting:
        return get_object_or_404(
            Meeting,
            pk=meeting_id,
            consultation__in=Consultation.objects.visible_to(request.user).filter(slug=slug),
        )

    @extend_schema(request=None, responses={201: MeetingRegistrationSerializer})
    def post(self, request: Request, slug: str, meeting_id: int) -> Response:
        meeting = self._meeting(request, slug, meeting_id)
        registration = meeting_register(meeting_id=meeting.pk, user=request.user)
        return Response(
            MeetingRegistrationSerializer(registration).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, meeting_id: int) -> Response:
        meeting = self._meeting(request, slug, meeting_id)
        meeting_unregister(meeting_id=meeting.pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarView(APIView):
    """An iCalendar file of meetings: public, throttled per address like the API."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [ICalendarRenderer]
    content_negotiation_class = OneFormatNegotiation

    def calendar(self, **kwargs: str | int) -> tuple[bytes, str]:
        raise NotImplementedError

    def get(self, request: Request, **kwargs: str | int) -> HttpResponse:
        content, filename = self.calendar(**kwargs)
        response = HttpResponse(content, content_type=CALENDAR_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


@extend_schema_view(
    get=extend_schema(
        responses=CALENDAR_RESPONSE,
        summary="Every meeting, as an iCalendar file",
        operation_id="consultations_calendar_all",
    )
)
class AllMeetingsCalendarView(CalendarView):
    """Every meeting of every published consultation."""

    def calendar(self) -> tuple[bytes, str]:
        name = _("Meetings of the consultations of %(territory)s") % {
            "territory": settings.TERRITORY_NAME
        }
        return calendar.calendar_of(meetings_public(), name=name), "meetings.ics"


@extend_schema_view(
    get=extend_schema(
        responses=CALENDAR_RESPONSE,
        summary="The meetings of a consultation, as an iCalendar file",
        operation_id="consultations_calendar",
    )
)
class ConsultationCalendarView(CalendarView):
    def calendar(self, slug: str) -> tuple[bytes, str]:
        consultation = get_object_or_404(Consultation.objects.published(), slug=slug)
        meetings = meetings_public().filter(consultation=consultation)
        return calendar.calendar_of(meetings, name=consultation.title), f"{consultation.slug}.ics"


@extend_schema_view(
    get=extend_schema(
        responses=CALENDAR_RESPONSE,
        summary="One meeting, as an iCalendar file",
        operation_id="consultations_meetings_calendar",
    )
)
class MeetingCalendarView(CalendarView):
    def calendar(self, slug: str, meeting_id: int) -> tuple[bytes, str]:
        meeting = get_object_or_404(meetings_public(), pk=meeting_id, consultation__slug=slug)
        return calendar.calendar_of([meeting], name=meeting.title), f"meeting-{meeting.pk}.ics"
