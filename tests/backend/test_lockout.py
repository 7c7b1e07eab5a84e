from __future__ import annotations

import pytest

from backend.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def login(api, password, email="citoyen@demo.test"):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password})


def test_repeated_failures_lock_the_email_out_with_retry_after(api, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        assert login(api, "wrong").status_code == 401
    response = login(api, DEMO_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"
    assert "Trop de tentatives" in response.json()["detail"]


def test_a_success_resets_the_count(api, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    login(api, "wrong")
    login(api, "wrong")
    assert login(api, DEMO_PASSWORD).status_code == 200
    login(api, "wrong")
    assert login(api, DEMO_PASSWORD).status_code == 200


def test_other_accounts_are_not_locked(api, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    login(api, "wrong")
    login(api, "wrong")
    assert login(api, DEMO_PASSWORD, email="agent.eau@demo.test").status_code == 200


def test_a_body_over_the_limit_is_refused_before_being_read(api, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = api.post(
        "/api/v1/auth/register/", {"email": "a@example.test", "password": "x" * 2000}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
