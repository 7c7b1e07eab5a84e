from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from push import outbox, services
from push.models import Delivery, Device, Kind, Notification, Status
from tests.fake_fcm import UNAVAILABLE, UNREGISTERED, quota_exceeded

pytestmark = pytest.mark.django_db
TITLE = {"fr": "Votre signalement a été pris en compte", "en": "Your report was acknowledged"}
BODY = {"fr": "La direction de la voirie s'en occupe.", "en": "The roads direction is on it."}


def notify(*users, **extra):
    return services.notify(
        users=users,
        kind=Kind.MY_REPORTS,
        title=TITLE,
        body=BODY,
        link_type="signalement",
        link_id=42,
        collapse_key="signalement-42",
        **extra,
    )


def test_one_inbox_row_per_user_and_one_delivery_per_active_device(citizen, other_citizen):
    services.device_register(token="a1", platform="android", user=citizen)
    services.device_register(token="a2", platform="ios", user=citizen)
    dead, _ = services.device_register(token="a3", platform="ios", user=citizen)
    outbox.device_deactivate(device_id=dead.pk, reason="gone")
    notify(citizen, other_citizen, citizen)
    assert Notification.objects.filter(user=citizen).count() == 1
    assert Notification.objects.filter(user=other_citizen).count() == 1
    tokens = Delivery.objects.filter(channel="push").values_list("device__token", flat=True)
    assert sorted(tokens) == ["a1", "a2"]


def test_the_worker_sends_each_delivery_once_in_the_user_language(fake_fcm, settings, citizen):
    settings.FRONTEND_URL = "http://front.test/"
    citizen.language = "en"
    citizen.save()
    services.device_register(token="a1", platform="android", user=citizen)
    notify(citizen)
    assert outbox.deliver_due() == 1
    assert outbox.deliver_due() == 0
    [request] = fake_fcm.sent_to("a1")
    message = request.body["message"]
    assert message["notification"]["title"] == TITLE["en"]
    assert message["data"] == {
        "kind": "my_reports",
        "link_type": "signalement",
        "link_id": "42",
        "link_url": "http://front.test/signalement/42",
        "notification_id": str(Notification.objects.get().pk),
    }
    assert Delivery.objects.get().status == Status.SENT


def test_email_goes_to_those_who_chose_it(fake_fcm, citizen):
    services.preferences_update(
        preferences=services.preferences_of(user=citizen),
        channels={"my_reports": ["email"]},
    )
    services.device_register(token="a1", platform="android", user=citizen)
    notify(citizen)
    outbox.deliver_due()
    assert fake_fcm.sends() == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == TITLE["fr"]
    assert mail.outbox[0].alternatives, "an HTML part too"


def test_a_transient_error_is_retried_later_then_sent_once(fake_fcm, citizen):
    services.device_register(token="a1", platform="android", user=citizen)
    fake_fcm.answer("a1", *[UNAVAILABLE] * 5)  # the library's own retries give up
    notify(citizen)
    outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert outbox.deliver_due() == 0, "not before its time"
    Delivery.objects.update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    assert Delivery.objects.get().status == Status.SENT
    assert outbox.deliver_due() == 0


def test_retry_after_of_a_429_is_honoured(fake_fcm, citizen):
    services.device_register(token="a1", platform="android", user=citizen)
    fake_fcm.answer("a1", quota_exceeded(600))
    notify(citizen)
    outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=590)


def test_after_the_last_attempt_it_is_failed_with_the_reason(fake_fcm, citizen, settings):
    settings.PUSH_MAX_ATTEMPTS = 1
    services.device_register(token="a1", platform="android", user=citizen)
    fake_fcm.answer("a1", *[UNAVAILABLE] * 5)
    notify(citizen)
    outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == Status.FAILED
    assert "Unavailable" in delivery.last_error


def test_a_dead_token_deactivates_the_device_for_good(fake_fcm, citizen):
    services.device_register(token="a1", platform="android", user=citizen)
    fake_fcm.answer("a1", UNREGISTERED)
    notify(citizen)
    outbox.deliver_due()
    assert Delivery.objects.get().status == Status.DEAD
    assert not Device.objects.get(token="a1").is_active
    notify(citizen)
    outbox.deliver_due()
    assert len(fake_fcm.sent_to("a1")) == 1


def test_an_expired_notification_is_not_pushed(fake_fcm, citizen):
    services.device_register(token="a1", platform="android", user=citizen)
    notify(citizen, ttl=timedelta(seconds=-1))
    outbox.deliver_due()
    assert Delivery.objects.get().status == Status.SKIPPED
    assert fake_fcm.sends() == []


def test_staff_can_resend_a_failed_delivery(fake_fcm, citizen, settings):
    settings.PUSH_MAX_ATTEMPTS = 1
    services.device_register(token="a1", platform="android", user=citizen)
    fake_fcm.answer("a1", *[UNAVAILABLE] * 5)
    notify(citizen)
    outbox.deliver_due()
    services.delivery_resend(delivery=Delivery.objects.get())
    outbox.deliver_due()
    assert Delivery.objects.get().status == Status.SENT
