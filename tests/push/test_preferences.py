from __future__ import annotations

import pytest

from push import services
from push.models import Device

pytestmark = pytest.mark.django_db


def test_defaults_are_push_for_everything_and_no_commune(client_for, citizen):
    body = client_for(citizen).get("/api/v1/me/preferences/").json()
    assert body["communes"] == []
    assert body["channels"]["my_reports"] == ["push"]
    assert body["channels"]["new_consultation"] == ["push"]


def test_anonymous_has_no_account_preferences(client_for):
    assert client_for(None).get("/api/v1/me/preferences/").status_code == 401


def test_a_user_sets_communes_themes_and_channels(client_for, citizen):
    response = client_for(citizen).patch(
        "/api/v1/me/preferences/",
        {
            "communes": ["30189", "30258"],
            "themes": ["transports"],
            "channels": {"my_reports": ["push", "email"]},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["communes"]) == ["30189", "30258"]
    assert body["themes"] == ["transports"]
    assert body["channels"]["my_reports"] == ["email", "push"]
    assert body["channels"]["restitutions"] == ["push"], "other kinds are kept"


def test_unknown_commune_and_kind_are_named(client_for, citizen):
    response = client_for(citizen).patch(
        "/api/v1/me/preferences/",
        {"communes": ["75056"], "channels": {"horoscope": ["push"]}},
        format="json",
    )
    assert response.status_code == 400
    assert {"communes", "channels"} <= response.json()["fields"].keys()


def test_the_devices_of_a_user_follow_the_user_interests(client_for, citizen):
    device, _ = services.device_register(token="t1", platform="ios", user=citizen)
    assert device.wanted_topic == ""
    client_for(citizen).patch("/api/v1/me/preferences/", {"communes": ["30189"]}, format="json")
    device.refresh_from_db()
    assert device.wanted_topic.startswith("p-")


def test_same_interests_share_a_topic_and_language_splits_it(citizen, other_citizen):
    topics = []
    for user, locale in ((citizen, "fr"), (other_citizen, "fr"), (None, "en")):
        device, _ = services.device_register(
            token=f"tok-{len(topics)}", platform="android", locale=locale, user=user
        )
        preferences = services.effective_preferences(device)
        services.preferences_update(preferences=preferences, communes=[], themes=["eau"])
        device.refresh_from_db()
        topics.append(device.wanted_topic)
    assert topics[0] == topics[1] != topics[2]


def test_turning_consultation_alerts_off_leaves_every_topic(client_for, citizen):
    services.device_register(token="t1", platform="ios", user=citizen)
    client = client_for(citizen)
    client.patch("/api/v1/me/preferences/", {"communes": ["30189"]}, format="json")
    client.patch("/api/v1/me/preferences/", {"channels": {"new_consultation": []}}, format="json")
    assert Device.objects.get(token="t1").wanted_topic == ""


@pytest.mark.parametrize("owner", ["account", "device"])
def test_an_unknown_theme_is_refused_naming_the_field_and_the_value(client_for, citizen, owner):
    if owner == "account":
        client, url = client_for(citizen), "/api/v1/me/preferences/"
    else:
        client, url = client_for(None), "/api/v1/devices/t-anon/preferences/"
        services.device_register(token="t-anon", platform="android")
    response = client.patch(url, {"themes": ["transports", "horoscope"]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert list(body["fields"]) == ["themes"]
    [message] = body["fields"]["themes"]
    assert "horoscope" in message and "transports" not in message
    assert "/api/v1/consultation-themes/" in message
    english = client.patch(url, {"themes": ["horoscope"]}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "Unknown theme" in english.json()["fields"]["themes"][0]
    assert client.get(url).json()["themes"] == [], "nothing half-saved"


def test_the_themes_of_preferences_are_those_of_consultations(client_for, citizen):
    slugs = [theme["slug"] for theme in client_for(None).get("/api/v1/consultation-themes/").json()]
    assert "transports" in slugs
    response = client_for(citizen).put(
        "/api/v1/me/preferences/", {"themes": slugs, "communes": []}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["themes"] == sorted(slugs)


def test_an_unknown_commune_is_refused_naming_its_code(client_for, citizen):
    response = client_for(citizen).patch(
        "/api/v1/me/preferences/", {"communes": ["30189", "75056"]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["communes"]
    assert "75056" in str(response.json()["fields"]["communes"])
