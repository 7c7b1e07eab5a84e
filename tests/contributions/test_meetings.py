from __future__ import annotations

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import close_old_connections, connection
from django.db.models import QuerySet
from django.utils import timezone

from backend.models import User
from contributions.models import Meeting, MeetingRegistration
from contributions.services.consultations import phase_create
from contributions.services.meetings import meeting_create, meeting_register
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(make_consultation):
    consultation = make_consultation("atelier", is_published=True)
    start = timezone.now() + timedelta(days=3)
    return Meeting.objects.create(
        consultation=consultation,
        title="Atelier",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration=Meeting.Registration.PLATFORM,
        capacity=1,
    )


def url(meeting: Meeting) -> str:
    return f"/api/v1/consultations/{meeting.consultation.slug}/meetings/{meeting.pk}/registration/"


def test_a_resident_takes_a_seat(client_for, citizen, meeting):
    response = client_for(citizen).post(url(meeting))
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"


def test_registering_twice_keeps_one_seat(client_for, citizen, meeting):
    client_for(citizen).post(url(meeting))
    client_for(citizen).post(url(meeting))
    assert meeting.registrations.count() == 1


def test_a_full_meeting_puts_people_on_the_waiting_list(
    client_for, citizen, other_citizen, meeting
):
    client_for(citizen).post(url(meeting))
    response = client_for(other_citizen).post(url(meeting))
    assert response.json()["status"] == "waiting"


def test_cancelling_promotes_the_first_of_the_waiting_list(
    client_for, citizen, other_citizen, meeting
):
    third = User.objects.create_user("troisieme@example.test", "x")
    for user in (citizen, other_citizen, third):
        client_for(user).post(url(meeting))
    assert client_for(citizen).delete(url(meeting)).status_code == 204
    statuses = dict(meeting.registrations.values_list("user__email", "status"))
    assert statuses == {other_citizen.email: "confirmed", third.email: "waiting"}
    assert Notification.objects.filter(user=other_citizen, kind="meeting_reminders").exists()


def test_leaving_the_waiting_list_promotes_nobody(client_for, citizen, other_citizen, meeting):
    client_for(citizen).post(url(meeting))
    client_for(other_citizen).post(url(meeting))
    client_for(other_citizen).delete(url(meeting))
    assert list(meeting.registrations.values_list("status", flat=True)) == ["confirmed"]


def test_a_meeting_without_platform_registration_is_a_conflict(client_for, citizen, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(registration=Meeting.Registration.EXTERNAL)
    assert client_for(citizen).post(url(meeting)).status_code == 409


def test_registering_needs_an_account(api, meeting):
    assert api.post(url(meeting)).status_code == 401


def test_meetings_of_drafts_cannot_be_joined(client_for, citizen, meeting):
    meeting.consultation.is_published = False
    meeting.consultation.save()
    assert client_for(citizen).post(url(meeting)).status_code == 404


def test_followers_are_told_of_a_new_meeting_and_a_new_phase(client_for, citizen, meeting):
    consultation = meeting.consultation
    response = client_for(citizen).post(f"/api/v1/consultations/{consultation.slug}/follow/")
    assert response.json() == {"following": True}
    start = timezone.now() + timedelta(days=9)
    meeting_create(
        consultation=consultation,
        title="Balade urbaine",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    phase_create(consultation=consultation, name="Ateliers", starts_on=timezone.localdate())
    kinds = list(Notification.objects.filter(user=citizen).values_list("kind", flat=True))
    assert sorted(kinds) == ["meeting_reminders", "new_consultation"]


def test_a_meeting_must_end_after_it_starts(meeting):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        meeting_create(
            consultation=meeting.consultation,
            title="Sans durée",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at,
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_asking_for_the_last_seat_only_one_gets_it(committed_db, make_consultation):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises every write")
    consultation = make_consultation("course", is_published=True)
    start = timezone.now() + timedelta(days=3)
    meeting = Meeting.objects.create(
        consultation=consultation,
        title="Dernière place",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        registration=Meeting.Registration.PLATFORM,
        capacity=1,
    )
    users = [User.objects.create_user(f"course{i}@example.test", "x") for i in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def register(user: User) -> None:
        try:
            barrier.wait()
            meeting_register(meeting_id=meeting.pk, user=user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            close_old_connections()

    count = QuerySet.count

    def slow_count(queryset):
        # Widen the window between counting the seats and taking one.
        result = count(queryset)
        time.sleep(0.3)
        return result

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    with mock.patch.object(QuerySet, "count", slow_count):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    statuses = sorted(
        MeetingRegistration.objects.filter(meeting=meeting).values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "waiting"]
