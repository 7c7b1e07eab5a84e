from __future__ import annotations

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from push import outbox, services
from push.models import Delivery, Kind, OutgoingEmail, Status

pytestmark = pytest.mark.django_db


def test_an_address_without_account_gets_its_email_once_per_event():
    for _ in range(2):
        services.email_queue(
            to="association@example.test",
            subject="Nouvelle concertation",
            body_text="Une concertation s'ouvre.",
            body_html="<p>Une concertation s'ouvre.</p>",
            key="consultation-7-opened",
        )
    outbox.deliver_due()
    outbox.deliver_due()
    assert [m.to for m in mail.outbox] == [["association@example.test"]]
    assert OutgoingEmail.objects.get().status == Status.SENT


def test_a_mail_server_that_is_down_delays_without_losing(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    services.email_queue(to="a@example.test", subject="s", body_text="b")
    outbox.deliver_due()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.PENDING, 1)
    assert email.next_attempt_at is not None


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownBackend", "OPTIONS": {}}}


def wants_email(user):
    services.preferences_update(
        preferences=services.preferences_of(user=user), channels={Kind.MY_REPORTS: ["email"]}
    )


def test_a_notification_email_is_verbatim_in_text_and_escaped_in_html(citizen):
    wants_email(citizen)
    services.notify(
        users=[citizen],
        kind=Kind.MY_REPORTS,
        title={"fr": "L'avis de Zoé & Léo"},
        body={"fr": "Rendez-vous <demain> à l'école & au stade"},
        link_type="signalement",
        link_id=42,
    )
    outbox.deliver_due()
    [message] = mail.outbox
    assert message.subject == "L'avis de Zoé & Léo"
    assert "L'avis de Zoé & Léo" in message.body
    assert "Rendez-vous <demain> à l'école & au stade" in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "L&#x27;avis de Zoé &amp; Léo" in html
    assert "Rendez-vous &lt;demain&gt; à l&#x27;école &amp; au stade" in html
    assert "<demain>" not in html


def test_a_mail_server_that_raises_delays_a_notification_email(citizen, mail_server_down):
    wants_email(citizen)
    services.notify(users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "T"}, body={"fr": "B"})
    outbox.deliver_due()
    delivery = Delivery.objects.get(notification__user=citizen, channel="email")
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert "SMTPServerDisconnected" in delivery.last_error


def test_a_mail_server_that_raises_delays_a_queued_email_until_it_is_back(
    settings, mail_server_down
):
    services.email_queue(to="a@example.test", subject="Objet", body_text="Texte")
    outbox.deliver_due()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.PENDING, 1)
    assert mail.outbox == []

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    OutgoingEmail.objects.update(next_attempt_at=None)
    outbox.deliver_due()
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert [m.to for m in mail.outbox] == [["a@example.test"]]


def test_a_subject_with_a_line_break_is_sent_on_one_line():
    services.email_queue(to="a@example.test", subject="Objet\r\nBcc: x@example.test", body_text="T")
    outbox.deliver_due()
    assert mail.outbox[0].subject == "Objet Bcc: x@example.test"
