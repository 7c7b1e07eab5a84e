from __future__ import annotations

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from backend.models import User

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_shows_the_account_and_its_roles(client_for, agent_voirie):
    body = client_for(agent_voirie).get("/api/v1/me/").json()
    assert body["email"] == "agent.voirie@demo.test"
    assert body["memberships"][0]["direction_name"] == "Direction de la voirie"
    assert body["memberships"][0]["role"] == "agent"
    assert body["memberships"][0]["direction"] == "nm-voirie"
    assert body["memberships"][0]["organisation"] == "nimes-metropole"


def test_it_updates_names_and_language_but_not_the_email(client_for, citizen):
    response = client_for(citizen).patch(
        "/api/v1/me/", {"first_name": "Camila", "language": "en", "email": "x@example.test"}
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert (citizen.first_name, citizen.language, citizen.email) == (
        "Camila",
        "en",
        "citoyen@demo.test",
    )


def test_it_refuses_an_unknown_language(client_for, citizen):
    response = client_for(citizen).patch("/api/v1/me/", {"language": "de"})
    assert response.status_code == 400
    assert "language" in response.json()["fields"]


def test_delete_erases_personal_data_and_revokes_tokens(client_for, other_citizen):
    refresh = RefreshToken.for_user(other_citizen)
    assert client_for(other_citizen).delete("/api/v1/me/").status_code == 204
    user = User.objects.get(pk=other_citizen.pk)
    assert not user.is_active
    assert "voisin" not in user.email
    assert user.first_name == user.last_name == ""
    assert not user.has_usable_password()
    response = client_for(None).post("/api/v1/auth/token/refresh/", {"refresh": str(refresh)})
    assert response.status_code == 401


def test_password_change_checks_the_old_one(client_for, other_citizen):
    client = client_for(other_citizen)
    response = client.post(
        "/api/v1/me/password/", {"old_password": "nope", "new_password": "Nouveau-Mot-2026"}
    )
    assert response.status_code == 400
    assert "old_password" in response.json()["fields"]


def test_password_change_applies_the_validators(client_for, other_citizen):
    response = client_for(other_citizen).post(
        "/api/v1/me/password/", {"old_password": "Voisin-Password-2026", "new_password": "azerty"}
    )
    assert response.status_code == 400
    assert "new_password" in response.json()["fields"]


def test_password_change_works(client_for, other_citizen):
    response = client_for(other_citizen).post(
        "/api/v1/me/password/",
        {"old_password": "Voisin-Password-2026", "new_password": "Nouveau-Mot-2026"},
    )
    assert response.status_code == 204
    other_citizen.refresh_from_db()
    assert other_citizen.check_password("Nouveau-Mot-2026")
