from __future__ import annotations

import pytest

from backend.models import User

URL = "/api/v1/auth/register/"
pytestmark = pytest.mark.django_db


def test_it_creates_an_account(api):
    response = api.post(
        URL,
        {"email": "Alice@Example.test", "password": "Tres-Bon-Mot-2026", "first_name": "Alice"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "alice@example.test"
    assert "password" not in response.json()
    assert User.objects.get(email="alice@example.test").check_password("Tres-Bon-Mot-2026")


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


def test_it_refuses_an_email_already_used_whatever_its_case(api, citizen):
    response = api.post(URL, {"email": "CITOYEN@demo.test", "password": "Tres-Bon-Mot-2026"})
    assert response.status_code == 400
    assert "email" in response.json()["fields"]
    assert User.objects.filter(email__iexact="citoyen@demo.test").count() == 1


def test_it_requires_an_email(api):
    response = api.post(URL, {"password": "Tres-Bon-Mot-2026"})
    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Ce champ est obligatoire."]
