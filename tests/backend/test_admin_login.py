"""The back-office login shares the API's lockout and is limited per address."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from backend.models import User

pytestmark = pytest.mark.django_db

EMAIL = "chef@example.test"
PASSWORD = "Chef-Password-2026"


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(EMAIL, PASSWORD)


@pytest.fixture
def browser() -> Client:
    return Client()


def admin_login(browser, password, email=EMAIL, **headers):
    return browser.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password}, **headers
    )


def api_login(api, password, email=EMAIL):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password})


def test_the_right_password_opens_the_back_office(browser, superuser):
    response = admin_login(browser, PASSWORD)
    assert response.status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_failures_on_the_api_lock_the_back_office(api, browser, superuser, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        assert api_login(api, "wrong").status_code == 401
    response = admin_login(browser, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de tentatives" in response.content.decode()
    assert browser.get("/admin/").status_code == 302, "not logged in"


def test_failures_on_the_back_office_lock_the_api(api, browser, superuser, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        assert admin_login(browser, "wrong").status_code == 200
    assert api_login(api, PASSWORD).status_code == 429
    assert admin_login(browser, PASSWORD).status_code == 429


def test_a_variant_of_the_address_is_the_same_lockout(browser, superuser, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    admin_login(browser, "wrong", email="CHEF@example.test")
    admin_login(browser, "wrong", email=" ｃｈｅｆ@example.test")
    assert admin_login(browser, PASSWORD).status_code == 429


def test_the_back_office_login_is_limited_per_address(browser, superuser, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth", "3/hour")
    statuses = [
        admin_login(browser, "wrong", email=f"x{n}@example.test").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 200]
    refused = admin_login(browser, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "depuis votre adresse" in refused.content.decode()


def test_the_api_and_the_back_office_share_the_rate_of_an_address(api, browser, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth", "3/hour")
    for n in range(3):
        api_login(api, "wrong", email=f"x{n}@example.test")
    assert admin_login(browser, "wrong").status_code == 429
