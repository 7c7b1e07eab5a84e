"""A refused body names the fields the app sent, in French by default and in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backend.models import User
from contributions.models import Consultation, Contribution
from tests.contributions.conftest import PARIS

pytestmark = pytest.mark.django_db

Call = tuple[str, str, dict[str, Any], str]


@pytest.fixture
def world(open_consultation, contribute, citizen, other_citizen) -> dict[str, Any]:
    consultation = open_consultation("ouverte", themes=["transports"])
    regulatory = open_consultation("reglementaire", kind=Consultation.Kind.REGULATORY)
    idea = contribute(citizen, "ouverte").json()
    return {"consultation": consultation, "regulatory": regulatory, "idea": idea["id"]}


def _calls(world: dict[str, Any]) -> list[tuple[str, Call]]:
    idea = world["idea"]
    contributions = "/api/v1/consultations/ouverte/contributions/"
    return [
        ("citizen", ("post", contributions, {"kind": "idea", "body": "   "}, "body")),
        ("citizen", ("post", contributions, {"kind": "poème", "body": "x"}, "kind")),
        ("citizen", ("post", contributions, {"kind": "comment", "body": "x"}, "parent")),
        (
            "citizen",
            ("post", contributions, {"kind": "comment", "body": "x", "parent": 0}, "parent"),
        ),
        (
            "citizen",
            ("post", contributions, {"kind": "idea", "body": "x", "location": PARIS}, "location"),
        ),
        (
            "citizen",
            ("post", contributions, {"kind": "idea", "body": "x", "theme": "eau"}, "theme"),
        ),
        ("citizen", ("post", contributions, {"kind": "idea", "body": "x", "theme": "?"}, "theme")),
        ("citizen", ("patch", f"/api/v1/contributions/{idea}/", {"body": ""}, "body")),
        ("other", ("post", f"/api/v1/contributions/{idea}/flag/", {"reason": 0}, "reason")),
        (
            "moderator",
            (
                "post",
                f"/api/v1/moderation/contributions/{idea}/decision/",
                {"action": "hide"},
                "reason",
            ),
        ),
        (
            "moderator",
            (
                "post",
                f"/api/v1/moderation/contributions/{idea}/decision/",
                {"action": "x"},
                "action",
            ),
        ),
        (
            "anonymous",
            ("post", "/api/v1/contact/", {"kind": "question", "body": "Bonjour"}, "email"),
        ),
        (
            "anonymous",
            (
                "post",
                "/api/v1/contact/",
                {
                    "kind": "question",
                    "body": "x",
                    "email": "a@example.test",
                    "consultation": "nulle",
                },
                "consultation",
            ),
        ),
        (
            "citizen",
            (
                "post",
                "/api/v1/actors/",
                {"kind": "association", "name": "Vélo Nîmes"},
                "contact_email",
            ),
        ),
        (
            "citizen",
            (
                "post",
                "/api/v1/actors/",
                {
                    "kind": "association",
                    "name": "Vélo",
                    "contact_email": "v@example.test",
                    "communes": ["00000"],
                },
                "communes",
            ),
        ),
        (
            "manager",
            (
                "post",
                f"/api/v1/contributions/{idea}/answer/",
                {"status": "peut-être", "body": "x"},
                "status",
            ),
        ),
        ("anonymous", ("get", "/api/v1/consultations/?status=demain", {}, "status")),
        ("anonymous", ("get", "/api/v1/consultations/?kind=aucun", {}, "kind")),
        ("moderator", ("get", "/api/v1/moderation/contributions/?state=lu", {}, "state")),
        ("moderator", ("get", "/api/v1/contact-messages/?status=perdu", {}, "status")),
    ]


def _people(citizen, other_citizen, moderator, manager_voirie) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "citizen": citizen,
        "other": other_citizen,
        "moderator": moderator,
        "manager": manager_voirie,
    }


def _send(client_for: Callable, person: User | None, call: Call, language: str) -> dict:
    method, path, body, _field = call
    client = client_for(person)
    if method == "get":
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    else:
        response = getattr(client, method)(path, body, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, (call, response.status_code, response.content[:300])
    return response.json()


def test_each_refusal_names_a_field_the_app_sent_in_both_languages(
    world, client_for, citizen, other_citizen, moderator, manager_voirie
):
    people = _people(citizen, other_citizen, moderator, manager_voirie)
    for role, call in _calls(world):
        method, path, body, field = call
        french = _send(client_for, people[role], call, "fr")
        english = _send(client_for, people[role], call, "en")
        sent = set(body) | {
            part.split("=")[0] for part in path.partition("?")[2].split("&") if part
        }
        # A field the app had to send and left out is named too (the comment's parent...).
        assert set(french["fields"]) == {field}, (call, french)
        assert field in sent or method != "get", call
        assert set(english["fields"]) == {field}, (call, english)
        assert french["code"] == english["code"] == "invalid"
        assert french["fields"][field] != english["fields"][field], (call, french, english)


def test_the_restitution_of_a_regulatory_consultation_names_its_visibility(
    world, client_for, manager_voirie
):
    body = {"body": "Synthèse", "visibility": "participants"}
    url = "/api/v1/consultations/reglementaire/restitution/"
    messages = {}
    for language in ("fr", "en"):
        response = client_for(manager_voirie).put(
            url, body, format="json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 400, response.content
        assert set(response.json()["fields"]) == {"visibility"}
        messages[language] = response.json()["fields"]["visibility"]
    assert messages["fr"] != messages["en"]


def test_a_contribution_is_not_half_saved_when_refused(world, contribute, citizen):
    before = Contribution.objects.count()
    assert contribute(citizen, "ouverte", location=PARIS).status_code == 400
    assert Contribution.objects.count() == before
