from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_it_emails_a_link_with_uid_and_token(api, other_citizen):
    response = api.post("/api/v1/auth/password/reset/", {"email": "VOISIN@example.test"})
    assert response.status_code == 202
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["voisin@example.test"]
    assert "mot de passe" in mail.outbox[0].subject


def test_it_answers_the_same_for_an_unknown_address(api):
    response = api.post("/api/v1/auth/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 202
    assert mail.outbox == []


def test_the_codes_of_the_email_set_a_new_password_once(api, other_citizen):
    api.post("/api/v1/auth/password/reset/", {"email": "voisin@example.test"})
    body = mail.outbox[0].body
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
