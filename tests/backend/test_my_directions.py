"""The directions the person logged in works in: what the staff app builds its screens from."""

from __future__ import annotations

import pytest

from backend.models import Membership

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/directions/"


def test_an_agent_gets_each_direction_with_its_organisation_and_role(client_for, agent_voirie):
    response = client_for(agent_voirie).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    expected = {
        (m.direction.slug, m.direction.organisation.slug, m.role)
        for m in Membership.objects.filter(user=agent_voirie).select_related(
            "direction__organisation"
        )
    }
    assert {(d["slug"], d["organisation"], d["role"]) for d in body["results"]} == expected
    first = body["results"][0]
    assert set(first) == {"slug", "name", "organisation", "organisation_name", "role"}


def test_a_manager_reads_manager(client_for, manager_voirie):
    results = client_for(manager_voirie).get(URL).json()["results"]

    assert {"slug": "nm-voirie", "role": "manager"}.items() <= next(
        d for d in results if d["slug"] == "nm-voirie"
    ).items()


def test_a_resident_works_in_none(client_for, citizen):
    response = client_for(citizen).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401


def test_each_slug_opens_the_direction_s_members(client_for, agent_voirie):
    client = client_for(agent_voirie)

    for direction in client.get(URL).json()["results"]:
        members = client.get(f"/api/v1/directions/{direction['slug']}/members/")
        assert members.status_code == 200
