"""Registering answers the same for a new address and a taken one; the owner is told."""

from __future__ import annotations

import pytest

from backend.models import User
from push.models import OutgoingEmail

URL = "/api/v1/auth/register/"
pytestmark = pytest.mark.django_db


def mails_to(address):
    return list(OutgoingEmail.objects.filter(to=address))


def test_it_creates_an_account_to_log_in_with(api):
    response = api.post(
        URL,
        {"email": "Alice@Example.test", "password": "Tres-Bon-Mot-2026", "first_name": "Alice"},
    )
    assert response.status_code == 202, response.content
    assert set(response.json()) == {"detail"}
    user = User.objects.get(email="alice@example.test")
    assert user.check_password("Tres-Bon-Mot-2026")
    assert user.first_name == "Alice"
    login = api.post(
        "/api/v1/auth/token/", {"email": "alice@example.test", "password": "Tres-Bon-Mot-2026"}
    )
    assert login.status_code == 200
    assert mails_to("alice@example.test") == []


def test_a_taken_address_gets_the_same_answer_and_its_owner_an_email(api, other_citizen):
    new = api.post(URL, {"email": "nouveau@example.test", "password": "Tres-Bon-Mot-2026"})
    taken = api.post(URL, {"email": "VOISIN@example.test", "password": "Tres-Bon-Mot-2026"})

    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert "voisin" not in taken.content.decode()
    assert User.objects.filter(email="voisin@example.test").count() == 1
    other_citizen.refresh_from_db()
    assert other_citizen.check_password("Voisin-Password-2026")
    [email] = mails_to("voisin@example.test")
    assert "créer un compte" in email.subject
    assert "mot de passe" in email.body_text


def test_repeated_attempts_mail_the_owner_once_a_day(api, other_citizen):
    for _ in range(3):
        api.post(URL, {"email": "voisin@example.test", "password": "Tres-Bon-Mot-2026"})
    assert len(mails_to("voisin@example.test")) == 1


def test_a_weak_password_is_refused_alike_for_a_new_and_a_taken_address(api, other_citizen):
    new = api.post(URL, {"email": "nouveau@example.test", "password": "123"})
    taken = api.post(URL, {"email": "voisin@example.test", "password": "123"})
    assert new.status_code == taken.status_code == 400
    assert new.json() == taken.json()
    assert mails_to("voisin@example.test") == []


def test_it_names_the_password_rule_that_failed_in_french(api):
    response = api.post(URL, {"email": "bob@example.test", "password": "123"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    messages = " ".join(body["fields"]["password"])
    assert "trop court" in messages
    assert "entièrement numérique" in messages
    assert not User.objects.filter(email="bob@example.test").exists()


def test_it_names_the_rule_in_english_on_request(api):
    response = api.post(
        URL, {"email": "bob@example.test", "password": "123"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "too short" in " ".join(response.json()["fields"]["password"])


def test_it_requires_an_email(api):
    response = api.post(URL, {"password": "Tres-Bon-Mot-2026"})
    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Ce champ est obligatoire."]
