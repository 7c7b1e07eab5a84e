"""The field service's endpoints answer 403 to people who work in no direction."""

from __future__ import annotations

import pytest

from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"
LISTS = [QUEUE, f"{QUEUE}export/csv/", f"{QUEUE}export/geojson/"]


@pytest.fixture
def road(citizen):
    return file_report(citizen, at=SAINT_GILLES)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("persona", ["citizen", "other_citizen"])
def test_a_resident_gets_403_in_the_error_shape(client_for, request, persona, url, road):
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["code"] == "permission_denied"
    assert "direction" in body["detail"]


def test_the_refusal_is_in_english_on_request(client_for, citizen):
    body = client_for(citizen).get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["detail"] == (
        "Only the agents and managers of a direction may use the field service's queue."
    )


@pytest.mark.parametrize("action", ["transition", "assign", "duplicate", "notes", "category"])
def test_the_reporter_cannot_act_on_their_own_report(client_for, citizen, road, action):
    response = client_for(citizen).post(f"{QUEUE}{road.pk}/{action}/", {}, format="json")
    assert response.status_code == 403
    assert client_for(citizen).get(f"{QUEUE}{road.pk}/").status_code == 403


@pytest.mark.parametrize("url", LISTS)
def test_an_agent_of_the_direction_gets_the_queue(client_for, agent_voirie, road, url):
    assert client_for(agent_voirie).get(url).status_code == 200


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_gets_401(api, url):
    assert api.get(url).status_code == 401
