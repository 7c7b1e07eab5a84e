from __future__ import annotations

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from push import outbox
from push.models import Device

pytestmark = pytest.mark.django_db
TOKEN = "fcm-token-abc:123"


def register(client, token=TOKEN, **extra):
    return client.post(
        "/api/v1/devices/", {"token": token, "platform": "android", "locale": "fr", **extra}
    )


def test_a_phone_registers_without_an_account(client_for):
    response = register(client_for(None))
    assert response.status_code == 201
    assert response.json()["linked_to_account"] is False
    assert Device.objects.get(token=TOKEN).user is None


def test_registering_again_updates_and_links_to_the_user(client_for, citizen):
    register(client_for(None))
    response = register(client_for(citizen), app_version="2.1.0", locale="en")
    assert response.status_code == 200
    device = Device.objects.get(token=TOKEN)
    assert (device.user, device.app_version, device.locale) == (citizen, "2.1.0", "en")


def test_a_token_moves_to_the_next_account(client_for, citizen, other_citizen):
    register(client_for(citizen))
    register(client_for(other_citizen))
    assert Device.objects.get(token=TOKEN).user == other_citizen


def test_an_unknown_platform_is_refused(client_for):
    response = register(client_for(None), platform="symbian")
    assert response.status_code == 400
    assert "platform" in response.json()["fields"]


def test_delete_forgets_the_device(client_for):
    register(client_for(None))
    assert client_for(None).delete(f"/api/v1/devices/{TOKEN}/").status_code == 204
    outbox.topics_sync()
    assert not Device.objects.filter(token=TOKEN).exists()


def test_a_stranger_cannot_reach_a_device_linked_to_an_account(client_for, citizen, other_citizen):
    register(client_for(citizen))
    for client in (client_for(None), client_for(other_citizen)):
        assert client.get(f"/api/v1/devices/{TOKEN}/preferences/").status_code == 404
        assert client.delete(f"/api/v1/devices/{TOKEN}/").status_code == 404
    assert Device.objects.get(token=TOKEN).is_active


def test_logout_detaches_the_device_and_keeps_its_own_interests(client_for, citizen):
    anonymous = client_for(None)
    register(anonymous)
    anonymous.put(f"/api/v1/devices/{TOKEN}/preferences/", {"communes": ["30189"]}, format="json")
    register(client_for(citizen))
    refresh = str(RefreshToken.for_user(citizen))
    response = anonymous.post("/api/v1/auth/logout/", {"refresh": refresh, "device_token": TOKEN})
    assert response.status_code == 204
    device = Device.objects.get(token=TOKEN)
    assert device.user is None
    assert list(device.preferences.communes.values_list("insee_code", flat=True)) == ["30189"]
    assert device.wanted_topic.startswith("p-")


def test_erasing_the_account_forgets_its_devices(client_for, other_citizen):
    register(client_for(other_citizen))
    client_for(other_citizen).delete("/api/v1/me/")
    assert not Device.objects.filter(token=TOKEN, is_active=True).exists()
