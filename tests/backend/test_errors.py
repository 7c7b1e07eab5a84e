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
