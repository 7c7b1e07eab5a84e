from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_messages_are_french_by_default(api):
    assert api.get("/api/v1/me/").json()["detail"].startswith("Informations d'authentification")


def test_messages_are_english_on_request(api):
    body = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["detail"] == "Authentication credentials were not provided."


def test_a_malformed_json_body_is_a_400_with_the_shape(api):
    response = api.post("/api/v1/auth/register/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_wrong_method_is_a_405_with_the_shape(api):
    response = api.delete("/api/v1/auth/register/")
    assert response.status_code == 405
    assert set(response.json()) == {"code", "detail", "fields"}


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/nothing/", "/api/v1/signalements/abc/"]
)
def test_an_unknown_path_is_json_also_in_debug_mode(api, settings, path):
    settings.DEBUG = True
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"code", "detail", "fields"}


def test_an_unknown_open311_path_is_in_open311_shape_also_in_debug_mode(api, settings):
    settings.DEBUG = True
    response = api.get("/open311/v2/nothing.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_a_nul_character_in_the_query_names_the_parameter(api):
    response = api.get("/api/v1/consultations/?status=ouverte%00")
    assert response.status_code == 400
    assert response.json()["fields"] == {"status": ["Les caractères nuls ne sont pas autorisés."]}


def test_a_nul_character_in_the_path_is_a_400(api):
    response = api.get("/api/v1/consultations/abc%00/")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_json_body_must_be_an_object(client_for, citizen):
    response = client_for(citizen).generic(
        "PATCH", "/api/v1/me/", "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "objet" in response.json()["detail"]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_a_number_that_is_not_finite_is_refused(api, number):
    body = f'{{"email": "a@example.test", "password": {number}}}'
    response = api.generic("POST", "/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_nul_character_in_a_json_body_names_the_field(client_for, citizen):
    response = client_for(citizen).patch("/api/v1/me/", {"first_name": "Zo\x00é"}, format="json")
    assert response.status_code == 400
    assert "first_name" in response.json()["fields"]
