"""A direction's people, listed for its own staff so that a report can be assigned."""

from __future__ import annotations

import pytest

from backend.models import Direction, Membership, User
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
URL = "/api/v1/directions/nm-voirie/members/"


def test_the_manager_lists_each_member_with_id_name_and_role(client_for, manager_voirie):
    response = client_for(manager_voirie).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    expected = {
        (m.user_id, m.user.display_name, m.role)
        for m in Membership.objects.filter(direction__slug="nm-voirie").select_related("user")
    }
    assert {(m["id"], m["display_name"], m["role"]) for m in body["results"]} == expected
    assert body["count"] == len(expected)
    roles = {m["id"]: m["role"] for m in body["results"]}
    assert roles[manager_voirie.pk] == "manager"


def test_no_email_is_shown(client_for, manager_voirie, agent_voirie):
    content = client_for(manager_voirie).get(URL).content.decode()

    assert agent_voirie.email not in content
    assert "email" not in content


def test_an_agent_of_the_direction_sees_the_team_too(client_for, agent_voirie):
    response = client_for(agent_voirie).get(URL)

    assert response.status_code == 200
    assert agent_voirie.pk in {m["id"] for m in response.json()["results"]}


def test_the_back_office_superuser_sees_them(client_for, org_admin):
    assert org_admin.is_superuser
    assert client_for(org_admin).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["agent_eau", "citizen", "other_citizen"])
def test_anyone_else_is_refused_with_a_reason(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "members" in response.json()["detail"]


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401


def test_an_unknown_direction_is_a_404(client_for, manager_voirie):
    assert (
        client_for(manager_voirie).get("/api/v1/directions/nulle-part/members/").status_code == 404
    )


def test_a_member_left_by_an_erased_account_is_not_listed(client_for, manager_voirie):
    gone = User.objects.create_user("parti@example.test", "Parti-Password-2026", first_name="Léo")
    Membership.objects.create(user=gone, direction=Direction.objects.get(slug="nm-voirie"))
    User.objects.filter(pk=gone.pk).update(is_active=False)

    ids = {m["id"] for m in client_for(manager_voirie).get(URL).json()["results"]}

    assert gone.pk not in ids


def test_the_manager_assigns_with_the_id_the_list_gives(client_for, manager_voirie, citizen):
    report = file_report(citizen, at=SAINT_GILLES)
    client = client_for(manager_voirie)
    members = client.get(f"/api/v1/directions/{report.direction.slug}/members/").json()
    agent = next(m for m in members["results"] if m["role"] == "agent")

    response = client.post(
        f"/api/v1/agent/signalements/{report.pk}/assign/", {"agent": agent["id"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"] == {"id": agent["id"], "name": agent["display_name"]}
