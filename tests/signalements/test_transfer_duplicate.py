from __future__ import annotations

import pytest

from backend.models import Direction
from signalements.models import Follow, Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


@pytest.fixture
def road(citizen):
    return file_report(citizen, at=SAINT_GILLES)


def test_a_transfer_moves_the_report_to_the_other_queue_and_the_timeline_shows_it(
    client_for, agent_voirie, agent_eau, road
):
    water = Direction.objects.get(slug="nm-eau")
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transfer/", {"direction": water.slug, "reason": "C'est une fuite"}
    )
    assert response.status_code == 200, response.json()
    assert client_for(agent_voirie).get(f"{QUEUE}{road.pk}/").status_code == 404
    detail = client_for(agent_eau).get(f"{QUEUE}{road.pk}/").json()
    hop = next(step for step in detail["timeline"] if step["kind"] == "transfer")
    assert hop["internal_note"] == "C'est une fuite"
    assert hop["direction"] == {"slug": water.slug, "name": water.name}


def test_a_transfer_to_another_organisation_is_allowed(client_for, agent_voirie, road):
    gard = Direction.objects.get(slug="gard-routes")
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transfer/", {"direction": gard.slug, "reason": "Route départementale"}
    )
    assert response.status_code == 200
    road.refresh_from_db()
    assert road.direction == gard


def test_a_transfer_needs_a_reason(client_for, agent_voirie, road):
    water = Direction.objects.get(slug="nm-eau")
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transfer/", {"direction": water.slug, "reason": ""}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_a_duplicate_sends_its_reporter_and_followers_to_the_original(
    client_for, agent_voirie, citizen, other_citizen, road
):
    copy = file_report(other_citizen, at=SAINT_GILLES)
    fan = client_for(citizen)  # the first reporter also supports the copy
    fan.post(f"/api/v1/signalements/{copy.pk}/follow/")
    response = client_for(agent_voirie).post(f"{QUEUE}{copy.pk}/duplicate/", {"original": road.pk})
    assert response.status_code == 200, response.json()
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id, copy.reject_reason) == (
        Status.REJECTED,
        road.pk,
        "doublon",
    )
    assert Follow.objects.filter(signalement=road, user=other_citizen).exists()


def test_changing_the_category_runs_the_routing_again(client_for, agent_voirie, road):
    from signalements.models import Category

    leak = Category.objects.get(slug="fuite-d-eau")
    response = client_for(agent_voirie).post(f"{QUEUE}{road.pk}/category/", {"category": leak.pk})
    assert response.status_code == 200, response.json()
    road.refresh_from_db()
    assert road.direction.slug == "nm-eau"
    assert road.events.filter(kind="category").exists()
