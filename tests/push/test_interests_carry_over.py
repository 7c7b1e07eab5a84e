"""Interests chosen on a phone before signing up or in carry over to the account."""

from __future__ import annotations

import pytest

from backend.demo import DEMO_PASSWORD
from push import services
from push.models import Device

pytestmark = pytest.mark.django_db
TOKEN = "fcm-token-phone:1"
PASSWORD = "Tres-Bon-Mot-2026"


def phone_with_interests(client) -> None:
    """A phone used without an account: registered, then given communes and themes."""
    registered = client.post(
        "/api/v1/devices/", {"token": TOKEN, "platform": "android", "locale": "fr"}, format="json"
    )
    assert registered.status_code == 201
    chosen = client.patch(
        f"/api/v1/devices/{TOKEN}/preferences/",
        {"communes": ["30189"], "themes": ["transports"]},
        format="json",
    )
    assert chosen.status_code == 200, chosen.content


def account_preferences(api, access: str) -> dict:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api.get("/api/v1/me/preferences/").json()


def test_registering_on_the_phone_gives_its_interests_to_the_new_account(api):
    phone_with_interests(api)
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "alice@example.test", "password": PASSWORD, "device_token": TOKEN},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    device = Device.objects.get(token=TOKEN)
    assert device.user.email == "alice@example.test"
    preferences = account_preferences(api, body["access"])
    assert (preferences["communes"], preferences["themes"]) == (["30189"], ["transports"])
    assert device.wanted_topic.startswith("p-"), "the phone keeps its alerts as the account's"
    assert body["user"]["email"] == "alice@example.test"


def test_logging_in_on_the_phone_gives_its_interests_to_an_account_without_any(api, citizen):
    phone_with_interests(api)
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "citoyen@demo.test", "password": DEMO_PASSWORD, "device_token": TOKEN},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Device.objects.get(token=TOKEN).user == citizen
    preferences = account_preferences(api, response.json()["access"])
    assert (preferences["communes"], preferences["themes"]) == (["30189"], ["transports"])


def test_an_account_with_interests_keeps_them_and_the_phone_gets_its_own_back(api, citizen):
    services.preferences_update(
        preferences=services.preferences_of(user=citizen), communes=[], themes=["eau"]
    )
    phone_with_interests(api)
    login = api.post(
        "/api/v1/auth/token/",
        {"email": "citoyen@demo.test", "password": DEMO_PASSWORD, "device_token": TOKEN},
        format="json",
    ).json()
    preferences = account_preferences(api, login["access"])
    assert (preferences["communes"], preferences["themes"]) == ([], ["eau"])
    api.post(
        "/api/v1/auth/logout/", {"refresh": login["refresh"], "device_token": TOKEN}, format="json"
    )
    api.credentials()
    own = api.get(f"/api/v1/devices/{TOKEN}/preferences/").json()
    assert (own["communes"], own["themes"]) == (["30189"], ["transports"])


def test_registering_the_phone_again_once_logged_in_carries_its_interests_too(
    api, client_for, citizen
):
    phone_with_interests(api)
    again = client_for(citizen).post(
        "/api/v1/devices/", {"token": TOKEN, "platform": "android", "locale": "fr"}, format="json"
    )
    assert again.status_code == 200
    preferences = client_for(citizen).get("/api/v1/me/preferences/").json()
    assert (preferences["communes"], preferences["themes"]) == (["30189"], ["transports"])


def test_an_unknown_device_token_does_not_stop_the_login(api, citizen):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "citoyen@demo.test", "password": DEMO_PASSWORD, "device_token": "never-seen"},
        format="json",
    )
    assert response.status_code == 200
    assert not Device.objects.filter(token="never-seen").exists()


def test_a_wrong_password_moves_no_phone(api, citizen):
    phone_with_interests(api)
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "citoyen@demo.test", "password": "wrong", "device_token": TOKEN},
        format="json",
    )
    assert response.status_code == 401
    assert Device.objects.get(token=TOKEN).user is None
