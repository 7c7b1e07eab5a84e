"""iCalendar (RFC 5545) files of meetings, for residents to add to their agenda."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from contributions.models import Meeting
from contributions.selectors.consultations import public_url

PRODID = "-//Agglo citoyen//Consultations//FR"


def _domain() -> str:
    return settings.FRONTEND_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def meeting_event(meeting: Meeting) -> Event:
    event = Event()
    # A stable UID: updating a meeting updates the event in the agenda, never duplicates it.
    event.add("uid", f"meeting-{meeting.pk}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    place = ", ".join(part for part in (meeting.place_name, meeting.address) if part)
    if place or meeting.online_url:
        event.add("location", place or meeting.online_url)
    description = "\n\n".join(
        part for part in (meeting.description, meeting.consultation.title) if part
    )
    if description:
        event.add("description", description)
    event.add("url", meeting.online_url or public_url(meeting.consultation))
    if meeting.location is not None:
        event.add("geo", (meeting.location.y, meeting.location.x))
    return event


def calendar_of(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
