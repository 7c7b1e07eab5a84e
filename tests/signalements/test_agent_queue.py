"""Who sees which ticket, and who may act on it."""

from __future__ import annotations

import pytest

from signalements.models import Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


@pytest.fixture
def road(citizen):
    return file_report(citizen, at=SAINT_GILLES)


@pytest.fixture
def leak(citizen):
    return file_report(citizen, slug="fuite-d-eau", at=SAINT_GILLES)


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


def test_an_agent_sees_the_reports_of_the_direction_only(client_for, agent_voirie, road, leak):
    response = client_for(agent_voirie).get(QUEUE, {"page_size": 200})
    assert response.status_code == 200
    assert road.pk in ids(response)
    assert leak.pk not in ids(response)


def test_an_agent_of_another_direction_gets_404(client_for, agent_eau, road):
    client = client_for(agent_eau)
    assert client.get(f"{QUEUE}{road.pk}/").status_code == 404
    assert (
        client.post(f"{QUEUE}{road.pk}/transition/", {"status": "pris_en_compte"}).status_code
        == 404
    )
    road.refresh_from_db()
    assert road.status == Status.NEW


@pytest.mark.parametrize("persona", ["citizen", "other_citizen"])
def test_residents_have_no_queue_and_cannot_act(client_for, request, persona, road):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403
    assert (
        client.post(f"{QUEUE}{road.pk}/transition/", {"status": "pris_en_compte"}).status_code
        == 403
    )
    road.refresh_from_db()
    assert road.status == Status.NEW


def test_anonymous_gets_401(client_for, road):
    assert client_for(None).get(QUEUE).status_code == 401


def test_the_manager_sees_the_direction_and_the_history_with_notes(
    client_for, manager_voirie, agent_voirie, road
):
    client_for(agent_voirie).post(f"{QUEUE}{road.pk}/notes/", {"text": "Cône posé"})
    body = client_for(manager_voirie).get(f"{QUEUE}{road.pk}/").json()
    assert body["routing"]["reason"]
    assert any(step["internal_note"] == "Cône posé" for step in body["timeline"])


def test_internal_notes_never_reach_the_public(client_for, agent_voirie, road):
    client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transition/",
        {"status": "pris_en_compte", "public_message": "Vu", "internal_note": "SECRET-NOTE"},
    )
    client_for(agent_voirie).post(f"{QUEUE}{road.pk}/notes/", {"text": "SECRET-NOTE-2"})
    public = client_for(None).get(f"/api/v1/signalements/{road.pk}/")
    assert "SECRET-NOTE" not in public.content.decode()
    assert "Karim" not in public.content.decode(), "no agent name in public"
    timeline = public.json()["timeline"]
    assert [step["status"] for step in timeline] == ["nouveau", "pris_en_compte"]
    assert timeline[-1]["direction"] == {"slug": "nm-voirie", "name": "Direction de la voirie"}


def test_filters_assigned_to_me_and_status(client_for, agent_voirie, road, citizen):
    other = file_report(citizen, at=SAINT_GILLES)
    client = client_for(agent_voirie)
    client.post(f"{QUEUE}{road.pk}/assign/", {"agent": agent_voirie.pk})
    assert ids(client.get(QUEUE, {"assigned_to_me": "true"})) == {road.pk}
    client.post(f"{QUEUE}{other.pk}/transition/", {"status": "pris_en_compte"})
    assert other.pk in ids(client.get(QUEUE, {"status": "pris_en_compte"}))
    assert road.pk not in ids(client.get(QUEUE, {"status": "pris_en_compte"}))


def test_near_me_in_the_field(client_for, agent_voirie, road):
    client = client_for(agent_voirie)
    near = client.get(
        QUEUE, {"latitude": SAINT_GILLES[0], "longitude": SAINT_GILLES[1], "radius": 100}
    )
    far = client.get(QUEUE, {"latitude": 43.95, "longitude": 4.2, "radius": 100})
    assert road.pk in ids(near)
    assert road.pk not in ids(far)


def test_an_agent_assigns_only_themselves_a_manager_anyone(
    client_for, agent_voirie, manager_voirie, road
):
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/assign/", {"agent": manager_voirie.pk}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Seul un responsable peut confier un signalement à quelqu'un d'autre."
    )
    response = client_for(manager_voirie).post(
        f"{QUEUE}{road.pk}/assign/", {"agent": agent_voirie.pk}
    )
    assert response.status_code == 200
    assert response.json()["assigned_to"]["id"] == agent_voirie.pk


def test_assigning_someone_outside_the_direction_is_refused(
    client_for, manager_voirie, agent_eau, road
):
    response = client_for(manager_voirie).post(f"{QUEUE}{road.pk}/assign/", {"agent": agent_eau.pk})
    assert response.status_code == 400
    assert "agent" in response.json()["fields"]


def test_the_queue_does_not_grow_its_queries_with_the_page(
    client_for, agent_voirie, citizen, django_assert_max_num_queries
):
    for _ in range(3):
        file_report(citizen, at=SAINT_GILLES)
    client = client_for(agent_voirie)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(QUEUE, {"page_size": 2})
    for _ in range(10):
        file_report(citizen, at=SAINT_GILLES)
    with CaptureQueriesContext(connection) as large:
        client.get(QUEUE, {"page_size": 12})
    assert len(large) == len(small)
