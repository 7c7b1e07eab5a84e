"""Names shown to the public carry no invisible characters and are composed (NFC)."""

from __future__ import annotations

import pytest

from backend.models import Organisation, User
from signalements.models import Signalement
from signalements.open311 import services as open311_services

pytestmark = pytest.mark.django_db

HIDDEN = {
    "right-to-left override": "Ana\u202edrol",
    "zero-width space": "A\u200bna",
    "left-to-right isolate": "\u2066Ana\u2069",
    "first strong isolate": "\u2068Ana",
    "line feed": "Ana\nLopez",
    "null": "Ana\x00",
}


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_registering_refuses_a_hidden_character_naming_the_field(api, name):
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "ana@example.test", "password": "Tres-Bon-Mot-2026", "first_name": name},
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["first_name"]
    assert not User.objects.filter(email="ana@example.test").exists()


def test_the_refusal_is_french_by_default_and_english_on_request(client_for, citizen):
    client = client_for(citizen)
    french = client.patch("/api/v1/me/", {"last_name": "Du\u202epont"})
    english = client.patch("/api/v1/me/", {"last_name": "Du\u202epont"}, HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == english.status_code == 400
    assert "caractères invisibles" in french.json()["fields"]["last_name"][0]
    assert "invisible or control characters" in english.json()["fields"]["last_name"][0]
    citizen.refresh_from_db()
    assert "\u202e" not in citizen.last_name


def test_a_decomposed_name_is_stored_composed(client_for, citizen):
    response = client_for(citizen).patch("/api/v1/me/", {"first_name": "Zoe\u0301"})
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.first_name == "Zoé"


def test_accents_apostrophes_and_hyphens_are_names(api):
    response = api.post(
        "/api/v1/auth/register/",
        {
            "email": "ana@example.test",
            "password": "Tres-Bon-Mot-2026",
            "first_name": "Anne-Éloïse",
            "last_name": "N'Diaye d’Ornano",
        },
    )
    assert response.status_code == 201
    user = User.objects.get(email="ana@example.test")
    assert user.display_name == "Anne-Éloïse N."


def test_open311_reporters_are_held_to_the_same_rule(api):
    key = open311_services.api_key_create(
        organisation=Organisation.objects.get(slug="nimes-metropole"), name="Appli tierce"
    )[1]
    reports = Signalement.objects.count()
    response = api.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "chaussee-degradee",
            "lat": 43.8367,
            "long": 4.3601,
            "description": "Nid-de-poule",
            "email": "ana@example.test",
            "first_name": "A\u200bna",
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("first_name")
    assert not User.objects.filter(email="ana@example.test").exists()
    assert Signalement.objects.count() == reports


def test_the_actor_directory_refuses_a_hidden_character_in_a_name(client_for, citizen):
    response = client_for(citizen).post(
        "/api/v1/actors/",
        {
            "kind": "association",
            "name": "Nîmes \u202eà vélo",
            "contact_email": "bureau@velo.example.org",
            "is_public": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]
