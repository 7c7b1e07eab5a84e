from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from geo.models import Commune
from push import outbox, services
from push.models import BroadcastSend, Device, Kind

pytestmark = pytest.mark.django_db
TITLE = {"fr": "Nouvelle concertation près de chez vous", "en": "A new consultation near you"}


def devices_over_communes(count: int, communes: list[Commune]) -> None:
    languages = itertools.cycle(["fr", "fr", "fr", "en"])
    for index in range(count):
        device, _ = services.device_register(
            token=f"tok-{index}", platform="android", locale=next(languages)
        )
        services.preferences_update(
            preferences=services.effective_preferences(device),
            communes=[communes[index % len(communes)]],
        )


def alert(key: str, communes, themes=()):
    return services.broadcast(
        key=key,
        kind=Kind.NEW_CONSULTATION,
        title=TITLE,
        body=TITLE,
        communes=communes,
        themes=themes,
        link_type="consultation",
        link_id="plu-nimes",
        expires_at=timezone.now() + timezone.timedelta(days=30),
    )


def test_fcm_requests_do_not_grow_with_devices_and_nobody_gets_it_twice(fake_fcm):
    communes = list(Commune.objects.order_by("insee_code")[:3])
    devices_over_communes(120, communes)
    while outbox.topics_sync():
        pass
    subscribe_calls = len(fake_fcm.requests)
    alert("consultation-1-opened", communes[:2])
    outbox.deliver_due()

    sends = fake_fcm.sends()
    assert len(sends) == 4  # 2 communes x 2 languages, for 80 devices
    topics = [request.body["message"]["topic"] for request in sends]
    receivers = [token for topic in topics for token in fake_fcm.subscriptions[topic]]
    assert len(receivers) == len(set(receivers)) == 80
    assert len(fake_fcm.requests) == subscribe_calls + 4


def test_an_event_is_broadcast_only_once(fake_fcm):
    devices_over_communes(4, list(Commune.objects.filter(insee_code="30189")))
    outbox.topics_sync()
    assert alert("consultation-2-opened", Commune.objects.filter(insee_code="30189"))
    assert alert("consultation-2-opened", Commune.objects.filter(insee_code="30189")) is None
    outbox.deliver_due()
    outbox.deliver_due()
    assert len(fake_fcm.sends()) == 2  # fr and en topics, once each


def test_themes_reach_devices_interested_in_them(fake_fcm):
    device, _ = services.device_register(token="t-eau", platform="ios")
    services.preferences_update(preferences=services.effective_preferences(device), themes=["eau"])
    outbox.topics_sync()
    alert("consultation-3-opened", [], themes=["eau", "dechets"])
    outbox.deliver_due()
    [send] = fake_fcm.sends()
    assert fake_fcm.subscriptions[send.body["message"]["topic"]] == {"t-eau"}


def test_profiles_without_a_subscribed_device_are_not_sent(fake_fcm):
    devices_over_communes(1, list(Commune.objects.filter(insee_code="30189")))
    Device.objects.update(is_active=False)
    alert("consultation-4-opened", Commune.objects.filter(insee_code="30189"))
    assert BroadcastSend.objects.count() == 0
