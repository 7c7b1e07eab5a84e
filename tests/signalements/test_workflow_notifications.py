from __future__ import annotations

import pytest

from push.models import Notification
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


def test_a_public_change_notifies_the_reporter_and_followers_once(
    client_for, agent_voirie, citizen, other_citizen
):
    road = file_report(citizen, at=SAINT_GILLES)
    client_for(other_citizen).post(f"/api/v1/signalements/{road.pk}/follow/")
    Notification.objects.all().delete()
    client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transition/",
        {"status": "pris_en_compte", "public_message": "Nous intervenons cette semaine."},
    )
    got = Notification.objects.order_by("user_id")
    assert sorted(n.user_id for n in got) == sorted([citizen.pk, other_citizen.pk])
    notification = got.first()
    assert notification.title_fr == "Votre signalement a été pris en compte"
    assert notification.title_en == "Your report was acknowledged"
    assert notification.body_fr == "Nous intervenons cette semaine."
    assert (notification.link_type, notification.link_id) == ("signalement", str(road.pk))


def test_the_inbox_of_the_reporter_shows_the_change(client_for, agent_voirie, citizen):
    road = file_report(citizen, at=SAINT_GILLES)
    client_for(agent_voirie).post(f"{QUEUE}{road.pk}/transition/", {"status": "pris_en_compte"})
    inbox = client_for(citizen).get("/api/v1/notifications/").json()
    item = inbox["results"][0]
    assert (item["link_type"], item["link_id"]) == ("signalement", str(road.pk))


def test_the_assigned_agent_is_told(client_for, manager_voirie, agent_voirie, citizen):
    road = file_report(citizen, at=SAINT_GILLES)
    client_for(manager_voirie).post(f"{QUEUE}{road.pk}/assign/", {"agent": agent_voirie.pk})
    assert Notification.objects.filter(user=agent_voirie, kind="staff").count() == 1
    client_for(manager_voirie).post(f"{QUEUE}{road.pk}/transition/", {"status": "pris_en_compte"})
    assert Notification.objects.filter(user=agent_voirie, kind="staff").count() == 2


def test_an_internal_note_notifies_nobody(client_for, agent_voirie, citizen):
    road = file_report(citizen, at=SAINT_GILLES)
    before = Notification.objects.count()
    client_for(agent_voirie).post(f"{QUEUE}{road.pk}/notes/", {"text": "à voir"})
    assert Notification.objects.count() == before
