from __future__ import annotations

import pytest

from geo.models import Commune
from push import outbox, services
from push.models import Device
from tests.fake_fcm import UNREGISTERED

pytestmark = pytest.mark.django_db


def interested(token: str, *insee: str) -> Device:
    device, _ = services.device_register(token=token, platform="android")
    services.preferences_update(
        preferences=services.effective_preferences(device),
        communes=list(Commune.objects.filter(insee_code__in=insee)),
    )
    device.refresh_from_db()
    return device


def test_changing_interests_moves_the_subscription(fake_fcm):
    device = interested("tok-1", "30189")
    outbox.topics_sync()
    first = Device.objects.get(pk=device.pk).topic
    assert fake_fcm.subscriptions[first] == {"tok-1"}

    services.preferences_update(
        preferences=services.effective_preferences(device),
        communes=list(Commune.objects.filter(insee_code="30258")),
    )
    outbox.topics_sync()
    second = Device.objects.get(pk=device.pk).topic
    assert second != first
    assert fake_fcm.subscriptions[first] == set()
    assert fake_fcm.subscriptions[second] == {"tok-1"}


def test_a_dead_token_found_while_subscribing_is_deactivated(fake_fcm):
    fake_fcm.answer("tok-dead", UNREGISTERED)
    device = interested("tok-dead", "30189")
    outbox.topics_sync()
    device.refresh_from_db()
    assert not device.is_active
    assert device.topic == device.wanted_topic == ""
