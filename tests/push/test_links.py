"""Where a notification leads has the same names everywhere: link_type, link_id, link_url."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from geo.models import Commune
from push import outbox, services
from push.models import Kind, Notification

pytestmark = pytest.mark.django_db
LINK = {
    "link_type": "consultation",
    "link_id": "plu-nimes",
    "link_url": "https://app.test/consultation/plu-nimes",
}


@pytest.fixture(autouse=True)
def _front(settings):
    settings.FRONTEND_URL = "https://app.test"


def tell(user, **extra) -> Notification:
    [notification] = services.notify(
        users=[user],
        kind=Kind.RESTITUTIONS,
        title={"fr": "La restitution est publiée"},
        body={"fr": "Voyez ce qui en est sorti."},
        link_type="consultation",
        link_id="plu-nimes",
        **extra,
    )
    return notification


def test_the_push_data_of_a_personal_notification_names_the_link_like_the_inbox(
    fake_fcm, client_for, citizen
):
    services.device_register(token="a1", platform="android", user=citizen)
    notification = tell(citizen)
    outbox.deliver_due()
    [request] = fake_fcm.sent_to("a1")
    data = request.body["message"]["data"]
    assert data == {"kind": "restitutions", **LINK, "notification_id": str(notification.pk)}
    [item] = client_for(citizen).get("/api/v1/notifications/").json()["results"]
    assert {key: item[key] for key in LINK} == LINK
    assert (item["id"], item["kind"]) == (notification.pk, "restitutions")


def test_the_push_data_of_a_broadcast_names_the_link_alike(fake_fcm):
    device, _ = services.device_register(token="t-nimes", platform="ios")
    services.preferences_update(
        preferences=services.effective_preferences(device),
        communes=list(Commune.objects.filter(insee_code="30189")),
    )
    outbox.topics_sync()
    services.broadcast(
        key="consultation-plu-opened",
        kind=Kind.NEW_CONSULTATION,
        title={"fr": "Nouvelle concertation"},
        body={"fr": "PLU"},
        communes=Commune.objects.filter(insee_code="30189"),
        link_type="consultation",
        link_id="plu-nimes",
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    outbox.deliver_due()
    [send] = fake_fcm.sends()
    assert send.body["message"]["data"] == {"kind": "new_consultation", **LINK}


def test_the_email_of_a_notification_opens_the_link_url(citizen):
    services.preferences_update(
        preferences=services.preferences_of(user=citizen),
        channels={Kind.RESTITUTIONS: ["email"]},
    )
    tell(citizen)
    outbox.deliver_due()
    [message] = mail.outbox
    assert LINK["link_url"] in message.body


def test_the_export_of_personal_data_names_the_link_alike(client_for, citizen):
    tell(citizen)
    export = client_for(citizen).get("/api/v1/me/export/").json()
    [item] = export["push"]["notifications"]
    assert {key: item[key] for key in LINK} == LINK
