"""Registering logs in: the answer is that of /auth/token/; a taken address is refused by name.

A taken address says so (``fields.email``, code ``email_taken``): registration cannot answer
tokens for it, and logging in already tells a taken address from a free one. The owner is
told by e-mail that someone tried, at most once a day.
"""

from __future__ import annotations

import pytest

from backend.models import User
from push.models import OutgoingEmail

URL = "/api/v1/auth/register/"
PASSWORD = "Tres-Bon-Mot-2026"
pytestmark = pytest.mark.django_db


def mails_to(address):
    return list(OutgoingEmail.objects.filter(to=address))


def test_it_creates_an_account_and_answers_201_with_the_login_body(api):
    response = api.post(
        URL,
        {"email": "Alice@Example.test", "password": PASSWORD, "first_name": "Alice"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    user = User.objects.get(email="alice@example.test")
    assert user.check_password(PASSWORD)
    assert user.first_name == "Alice"
    login = api.post(
        "/api/v1/auth/token/", {"email": "alice@example.test", "password": PASSWORD}, format="json"
    ).json()
    assert body.keys() == login.keys() == {"access", "refresh", "user"}
    assert body["user"] == login["user"]
    assert mails_to("alice@example.test") == []


def test_its_tokens_open_the_account_as_me_shows_it(api):
    body = api.post(URL, {"email": "alice@example.test", "password": PASSWORD}, format="json")
    body = body.json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api.get("/api/v1/me/").json() == body["user"]
    refreshed = api.post("/api/v1/auth/token/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refreshed.status_code == 200


def test_the_account_keeps_the_language_of_accept_language(api):
    response = api.post(
        URL,
        {"email": "alice@example.test", "password": PASSWORD},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )
    assert response.json()["user"]["language"] == "en"
    assert User.objects.get(email="alice@example.test").language == "en"


def test_the_language_of_the_body_wins_over_accept_language(api):
    api.post(
        URL,
        {"email": "alice@example.test", "password": PASSWORD, "language": "fr"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert User.objects.get(email="alice@example.test").language == "fr"


def test_a_taken_address_is_refused_naming_the_email_and_its_owner_is_mailed(api, other_citizen):
    taken = api.post(URL, {"email": "VOISIN@example.test", "password": PASSWORD}, format="json")

    assert taken.status_code == 400
    body = taken.json()
    assert body["code"] == "email_taken"
    assert list(body["fields"]) == ["email"]
    assert "connectez-vous" in body["fields"]["email"][0]
    assert "réinitialisez votre mot de passe" in body["fields"]["email"][0]
    assert "access" not in body
    assert User.objects.filter(email="voisin@example.test").count() == 1
    other_citizen.refresh_from_db()
    assert other_citizen.check_password("Voisin-Password-2026")
    [email] = mails_to("voisin@example.test")
    assert "créer un compte" in email.subject
    assert "mot de passe" in email.body_text


def test_a_taken_address_is_refused_in_english_on_request(api, other_citizen):
    taken = api.post(
        URL,
        {"email": "voisin@example.test", "password": PASSWORD},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    message = taken.json()["fields"]["email"][0]
    assert "log in" in message
    assert "reset your password" in message


def test_repeated_attempts_mail_the_owner_once_a_day(api, other_citizen):
    for _ in range(3):
        response = api.post(
            URL, {"email": "voisin@example.test", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 400
    assert len(mails_to("voisin@example.test")) == 1


def test_a_weak_password_is_named_before_the_address_and_mails_nobody(api, other_citizen):
    response = api.post(URL, {"email": "voisin@example.test", "password": "123"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]
    assert mails_to("voisin@example.test") == []


def test_it_names_the_password_rule_that_failed_in_french(api):
    response = api.post(URL, {"email": "bob@example.test", "password": "123"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    messages = " ".join(body["fields"]["password"])
    assert "trop court" in messages
    assert "entièrement numérique" in messages
    assert not User.objects.filter(email="bob@example.test").exists()


def test_it_names_the_rule_in_english_on_request(api):
    response = api.post(
        URL,
        {"email": "bob@example.test", "password": "123"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "too short" in " ".join(response.json()["fields"]["password"])


def test_it_requires_an_email(api):
    response = api.post(URL, {"password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Ce champ est obligatoire."]
