from __future__ import annotations

import pytest

from contributions.models import Actor

pytestmark = pytest.mark.django_db

NEW_ACTOR = {
    "kind": "association",
    "name": "Nîmes à vélo",
    "description": "Pour des pistes cyclables continues.",
    "website": "https://velo.example.org",
    "communes": ["30189"],
    "themes": ["transports"],
    "contact_email": "bureau@velo.example.org",
    "email_consent": True,
    "is_public": True,
}


def register(client) -> dict:
    response = client.post("/api/v1/actors/", NEW_ACTOR, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def listed_names(client) -> set[str]:
    return {actor["name"] for actor in client.get("/api/v1/actors/").json()["results"]}


def test_a_resident_registers_an_actor_that_waits_for_validation(client_for, citizen, api):
    data = register(client_for(citizen))
    assert data["is_validated"] is False
    assert data["contact_email"] == NEW_ACTOR["contact_email"]
    assert "Nîmes à vélo" not in listed_names(api)
    assert "Nîmes à vélo" in listed_names(client_for(citizen))


def test_registering_needs_an_account(api):
    assert api.post("/api/v1/actors/", NEW_ACTOR, format="json").status_code == 401


def test_an_unknown_commune_is_a_400_naming_the_field(client_for, citizen):
    response = client_for(citizen).post(
        "/api/v1/actors/", {**NEW_ACTOR, "communes": ["99999"]}, format="json"
    )
    assert response.status_code == 400
    assert "communes" in response.json()["fields"]


def test_an_organisation_admin_validates_and_the_actor_is_listed(
    client_for, citizen, org_admin, api
):
    actor = register(client_for(citizen))
    response = client_for(org_admin).post(f"/api/v1/actors/{actor['id']}/validate/")
    assert response.status_code == 200
    assert response.json()["is_validated"] is True
    assert "Nîmes à vélo" in listed_names(api)
    assert client_for(org_admin).post(f"/api/v1/actors/{actor['id']}/validate/").status_code == 409


def test_the_public_directory_never_shows_emails(api):
    for actor in api.get("/api/v1/actors/").json()["results"]:
        assert "contact_email" not in actor
        assert "email_consent" not in actor


def test_actors_who_chose_not_to_appear_are_not_listed(client_for, citizen, org_admin, api):
    actor = register(client_for(citizen))
    client_for(org_admin).post(f"/api/v1/actors/{actor['id']}/validate/")
    Actor.objects.filter(pk=actor["id"]).update(is_public=False)
    assert "Nîmes à vélo" not in listed_names(api)


def test_the_owner_updates_their_actor_and_a_stranger_cannot(client_for, citizen, other_citizen):
    actor = register(client_for(citizen))
    url = f"/api/v1/actors/{actor['id']}/"
    assert client_for(other_citizen).patch(url, {"name": "Pirate"}).status_code == 404
    response = client_for(citizen).patch(url, {"name": "Nîmes à vélo (NAV)"}, format="json")
    assert response.status_code == 200
    assert Actor.objects.get(pk=actor["id"]).name == "Nîmes à vélo (NAV)"
