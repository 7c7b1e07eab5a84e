from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from icalendar import Calendar

from contributions.models import Meeting

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_one_meeting_is_one_event_with_its_place_and_times(api):
    meeting = Meeting.objects.get(title="Réunion publique de lancement")
    calendar = parse(
        api.get(f"/api/v1/consultations/plan-de-mobilite-2035/meetings/{meeting.pk}/calendar.ics")
    )
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == meeting.title
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert "3 rue du Colisée" in str(event["LOCATION"])
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert event["GEO"].latitude == pytest.approx(43.8345)


def test_a_consultation_calendar_has_all_its_meetings(api):
    calendar = parse(api.get("/api/v1/consultations/plan-de-mobilite-2035/calendar.ics"))
    assert len(calendar.walk("VEVENT")) == 2


def test_the_global_calendar_leaves_drafts_out(api, make_consultation):
    draft = make_consultation("brouillon")
    start = timezone.now() + timedelta(days=2)
    Meeting.objects.create(
        consultation=draft,
        title="Secret",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location=Point(4.36, 43.83, srid=4326),
    )
    calendar = parse(api.get("/api/v1/consultations/calendar.ics"))
    titles = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Secret" not in titles
    assert "Permanence du commissaire enquêteur" in titles
    assert api.get("/api/v1/consultations/brouillon/calendar.ics").status_code == 404


def test_a_calendar_is_a_calendar_whatever_accept_asks(api):
    response = api.get("/api/v1/consultations/calendar.ics", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_an_unknown_consultation_s_calendar_is_a_404_in_the_error_shape(api):
    response = api.get("/api/v1/consultations/brouillon/calendar.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
