from __future__ import annotations

import pytest
from django.core import mail

from contributions.models import ContactMessage
from push import services as push

pytestmark = pytest.mark.django_db


def send(client, **fields):
    return client.post(
        "/api/v1/contact/",
        {"kind": "question", "body": "Quand passe le bus ?", **fields},
        format="json",
    )


def emails_to(address: str) -> list:
    while push.deliver_due():
        pass
    return [message for message in mail.outbox if message.to == [address]]


def test_an_anonymous_question_is_acknowledged_by_email(api):
    response = send(api, email="habitant@example.test")
    assert response.status_code == 201
    [ack] = emails_to("habitant@example.test")
    assert "Quand passe le bus ?" in ack.body
    message = ContactMessage.objects.get(pk=response.json()["id"])
    assert message.organisation.slug == "nimes-metropole"


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
