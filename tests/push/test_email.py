from __future__ import annotations

import pytest
from django.core import mail

from push import services
from push.models import OutgoingEmail, Status

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
    services.deliver_due()
    services.deliver_due()
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
    services.deliver_due()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.PENDING, 1)
    assert email.next_attempt_at is not None
