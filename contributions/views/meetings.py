"""Meeting registrations and iCalendar files of meetings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.throttling import throttle_by_address
from contributions import calendar
from contributions.models import Consultation, Meeting
from contributions.selectors.meetings import meetings_public
from contributions.serializers.meetings import MeetingRegistrationSerializer
from contributions.services.meetings import meeting_register, meeting_unregister

CALENDAR_TYPE = "text/calendar; charset=utf-8"


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
