from __future__ import annotations

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from rest_framework.test import APIClient

from contributions.models import ContactMessage
from push import outbox
from push.models import OutgoingEmail, Status

pytestmark = pytest.mark.django_db


def send(client, headers=None, **fields):
    return client.post(
        "/api/v1/contact/",
        {"kind": "question", "body": "Quand passe le bus ?", **fields},
        format="json",
        **(headers or {}),
    )


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def emails_to(address: str) -> list:
    while outbox.deliver_due():
        pass
    return [message for message in mail.outbox if message.to[0].lower() == address.lower()]


def test_an_anonymous_question_is_acknowledged_by_email(api):
    response = send(api, email="habitant@example.test")
    assert response.status_code == 201
    [ack] = emails_to("habitant@example.test")
    assert "Nîmes Métropole" in ack.body
    message = ContactMessage.objects.get(pk=response.json()["id"])
    assert message.organisation.slug == "nimes-metropole"


def test_an_acknowledgement_to_a_typed_address_never_quotes_the_message(api):
    spam = "Gagnez 1000 € : http://arnaque.example/?a=1&b=2"
    assert send(api, email="victime@example.test", body=spam).status_code == 201
    [ack] = emails_to("victime@example.test")
    assert "arnaque" not in ack.body and "1000" not in ack.body
    assert "ignorer" in ack.body, "it says what to do if you did not write"


def test_a_typed_address_gets_one_acknowledgement_a_day(api, time_machine):
    time_machine.move_to("2026-12-02 10:00 +01:00")
    for n, address in enumerate(["victime@example.test", "Victime@Example.test"]):
        client = APIClient(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert send(client, email=address).status_code == 201
    assert ContactMessage.objects.count() == 2, "every message reaches the staff"
    assert len(emails_to("victime@example.test")) == 1

    time_machine.move_to("2026-12-03 10:00 +01:00")
    assert send(api, email="victime@example.test").status_code == 201
    assert len(emails_to("victime@example.test")) == 2


def test_a_resident_gets_their_message_quoted_at_their_account_address(client_for, citizen):
    body = "L'arrêt « Gare » & le <bus> 51 ?"
    assert send(client_for(citizen), body=body).status_code == 201
    [ack] = emails_to(citizen.email)
    assert "> " + body in ack.body, "quoted verbatim, never HTML-escaped"


def test_a_resident_typing_another_address_gets_no_quote(client_for, citizen):
    assert send(client_for(citizen), email="ailleurs@example.test").status_code == 201
    [ack] = emails_to("ailleurs@example.test")
    assert "Quand passe le bus ?" not in ack.body


def test_a_reply_to_a_typed_address_does_not_quote_the_message(api, client_for, moderator):
    send(api, email="habitant@example.test", body="Texte de l'expéditeur")
    message = ContactMessage.objects.get()
    staff = client_for(moderator)
    url = f"/api/v1/contact-messages/{message.pk}/reply/"
    assert staff.post(url, {"body": "Bonjour, voici la réponse."}).status_code == 200
    [*_, reply] = emails_to("habitant@example.test")
    assert reply.body == "Bonjour, voici la réponse."


def test_a_mail_server_that_raises_never_fails_the_form(api, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownBackend", "OPTIONS": {}}}
    response = send(api, email="habitant@example.test")
    assert response.status_code == 201
    outbox.deliver_due()
    email = OutgoingEmail.objects.get(to="habitant@example.test")
    assert (email.status, email.attempts) == (Status.PENDING, 1), "kept for a retry"


def test_an_anonymous_message_needs_an_email(api):
    response = send(api)
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_a_logged_in_resident_is_answered_at_their_address(client_for, citizen):
    assert send(client_for(citizen)).status_code == 201
    assert emails_to(citizen.email)


def test_the_full_flow_redirect_reply_close(client_for, citizen, moderator):
    send(client_for(citizen), consultation="plan-de-mobilite-2035")
    staff = client_for(moderator)
    [item] = staff.get("/api/v1/contact-messages/?status=new").json()["results"]
    url = f"/api/v1/contact-messages/{item['id']}/"

    redirected = staff.post(f"{url}redirect/", {}, format="json").json()
    assert redirected["direction"] == "nm-transports"  # the direction owning the consultation
    assert redirected["status"] == "redirected"

    replied = staff.post(f"{url}reply/", {"body": "Toutes les 10 minutes."}, format="json")
    assert replied.json()["status"] == "answered"
    assert any("Toutes les 10 minutes." in m.body for m in emails_to(citizen.email))

    assert staff.post(f"{url}close/").json()["status"] == "closed"
    assert staff.post(f"{url}close/").status_code == 409
    assert staff.post(f"{url}reply/", {"body": "Encore"}, format="json").status_code == 409


def test_a_redirected_message_reaches_the_direction(client_for, citizen, moderator, agent_eau):
    send(client_for(citizen))
    message = ContactMessage.objects.get()
    assert client_for(agent_eau).get(f"/api/v1/contact-messages/{message.pk}/").status_code == 404
    client_for(moderator).post(
        f"/api/v1/contact-messages/{message.pk}/redirect/", {"direction": "nm-eau"}, format="json"
    )
    assert client_for(agent_eau).get(f"/api/v1/contact-messages/{message.pk}/").status_code == 200


def test_redirecting_without_a_consultation_needs_a_direction(client_for, citizen, moderator):
    send(client_for(citizen))
    message = ContactMessage.objects.get()
    response = client_for(moderator).post(
        f"/api/v1/contact-messages/{message.pk}/redirect/", {}, format="json"
    )
    assert response.status_code == 400
    assert "direction" in response.json()["fields"]


def test_a_draft_consultation_cannot_be_named(api, make_consultation):
    make_consultation("brouillon")
    response = send(api, email="a@example.test", consultation="brouillon")
    assert response.status_code == 400
    assert "consultation" in response.json()["fields"]


def test_the_form_is_throttled_per_address(api, settings):
    statuses = [send(api, email=f"n{i}@example.test").status_code for i in range(6)]
    assert statuses == [201] * 5 + [429]
    assert ContactMessage.objects.count() == 5


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(api):
    statuses = [
        send(
            api, {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}"}, email=f"n{i}@example.test"
        ).status_code
        for i in range(6)
    ]
    assert statuses == [201] * 5 + [429]
