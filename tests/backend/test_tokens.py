from __future__ import annotations

import pytest

from backend.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def login(api, email="citoyen@demo.test", password=DEMO_PASSWORD):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password})


def test_it_gives_tokens_for_good_credentials(api):
    response = login(api)
    assert response.status_code == 200
    assert {"access", "refresh"} <= response.json().keys()


def test_the_email_is_case_insensitive(api):
    assert login(api, email="Citoyen@Demo.test").status_code == 200


def test_it_refuses_a_wrong_password_with_the_error_shape(api):
    response = login(api, password="wrong-password")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "no_active_account"
    assert "Aucun compte actif" in body["detail"]


def test_the_access_token_opens_the_account(api):
    access = login(api).json()["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/api/v1/me/").json()["email"] == "citoyen@demo.test"


def test_refresh_rotates_and_refuses_the_rotated_out_token(api):
    first = login(api).json()["refresh"]
    response = api.post("/api/v1/auth/token/refresh/", {"refresh": first})
    assert response.status_code == 200
    second = response.json()["refresh"]
    assert second != first
    reused = api.post("/api/v1/auth/token/refresh/", {"refresh": first})
    assert reused.status_code == 401
    assert reused.json()["code"] == "token_not_valid"
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": second}).status_code == 200


def test_logout_blacklists_the_refresh_token(api):
    refresh = login(api).json()["refresh"]
    assert api.post("/api/v1/auth/logout/", {"refresh": refresh}).status_code == 204
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": refresh}).status_code == 401


def test_logout_with_a_bad_token_is_refused(api):
    response = api.post("/api/v1/auth/logout/", {"refresh": "not-a-token"})
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
