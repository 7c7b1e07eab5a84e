"""Password reset: a link queued in the outbox, the same answer for every address."""

from __future__ import annotations

import re
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from push import outbox
from push.models import OutgoingEmail

URL = "/api/v1/auth/password/reset/"
pytestmark = pytest.mark.django_db


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownBackend", "OPTIONS": {}}}


def reset_mail(address):
    return OutgoingEmail.objects.get(to=address)


def test_it_queues_a_link_with_uid_and_token(api, other_citizen):
    response = api.post(URL, {"email": "VOISIN@example.test"})
    assert response.status_code == 202
    email = reset_mail("voisin@example.test")
    assert "mot de passe" in email.subject
    assert re.search(r"uid: \S+", email.body_text)


def test_the_link_keeps_a_raw_ampersand(api, other_citizen):
    api.post(URL, {"email": "voisin@example.test"})
    body = reset_mail("voisin@example.test").body_text
    assert re.search(r"reinitialiser-mot-de-passe\?uid=\S+&token=\S+", body)
    assert "&amp;" not in body


def test_it_answers_the_same_for_an_unknown_address(api):
    response = api.post(URL, {"email": "nobody@example.test"})
    assert response.status_code == 202
    assert not OutgoingEmail.objects.exists()


def test_a_mail_server_that_is_down_changes_no_answer(api, other_citizen, mail_server_down):
    known = api.post(URL, {"email": "voisin@example.test"})
    unknown = api.post(URL, {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    outbox.deliver_due()
    email = reset_mail("voisin@example.test")
    assert (email.status, email.attempts) == ("pending", 1), "kept to be sent again"
    assert mail.outbox == []


def test_the_codes_of_the_email_set_a_new_password_once(api, other_citizen):
    api.post(URL, {"email": "voisin@example.test"})
    body = reset_mail("voisin@example.test").body_text
    uid = re.search(r"uid: (\S+)", body).group(1)
    token = re.search(r"token: (\S+)", body).group(1)
    payload = {"uid": uid, "token": token, "new_password": "Nouveau-Mot-2026"}
    assert api.post("/api/v1/auth/password/reset/confirm/", payload).status_code == 204
    other_citizen.refresh_from_db()
    assert other_citizen.check_password("Nouveau-Mot-2026")
    again = api.post("/api/v1/auth/password/reset/confirm/", payload)
    assert again.status_code == 400
    assert "token" in again.json()["fields"]


def test_a_forged_uid_is_a_clear_400(api):
    response = api.post(
        "/api/v1/auth/password/reset/confirm/",
        {"uid": "!!!", "token": "x", "new_password": "Nouveau-Mot-2026"},
    )
    assert response.status_code == 400
    assert "token" in response.json()["fields"]
