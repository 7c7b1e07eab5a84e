"""Filing answers the reporter's own view; its refusals name the fields as the app sent them."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from tests.signalements.factories import NIMES, PARIS, category

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


def _body(slug: str = "fuite-d-eau", **extra: object) -> dict:
    return {
        "category": category(slug).pk,
        "description": "L'eau coule sur le trottoir.",
        "latitude": NIMES[0],
        "longitude": NIMES[1],
        "answers": {"emplacement": "trottoir"},
        **extra,
    }


def test_the_answer_is_the_item_of_my_reports(client_for, citizen):
    client = client_for(citizen)
    created = client.post(URL, _body(anonymous=True), format="json")
    assert created.status_code == 201, created.json()
    [listed] = [
        item
        for item in client.get("/api/v1/me/signalements/").json()["results"]
        if item["id"] == created.json()["id"]
    ]
    assert created.json() == listed


def test_the_answer_carries_what_the_reporter_sees(client_for, citizen):
    body = client_for(citizen).post(URL, _body(), format="json").json()
    assert body["answers"] == {"emplacement": "trottoir"}
    assert body["anonymous"] is False
    assert body["is_public"] is True
    assert [(step["kind"], step["status"]) for step in body["timeline"]] == [("status", "nouveau")]
    assert (body["following"], body["mine"], body["can_reopen"]) == (False, True, False)
    assert "history" not in body


def test_a_place_outside_the_territory_names_latitude_and_longitude(client_for, citizen):
    response = client_for(citizen).post(
        URL, _body(latitude=PARIS[0], longitude=PARIS[1]), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"latitude", "longitude"}


def test_refused_answers_are_keyed_by_their_question(client_for, citizen):
    response = client_for(citizen).post(URL, _body(answers={"couleur": "bleu"}), format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "answers": {
            "couleur": ["Question inconnue : couleur."],
            "emplacement": ["Une réponse est obligatoire."],
        }
    }


def test_a_refused_answer_reads_in_english_on_request(client_for, citizen):
    response = client_for(citizen).post(
        URL, _body(answers={"emplacement": "au-plafond"}), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["fields"] == {
        "answers": {"emplacement": ["This choice is not in the list."]}
    }
    assert response.json()["detail"] == "answers.emplacement : This choice is not in the list."


def test_nothing_is_saved_when_an_answer_is_refused(client_for, citizen):
    before = citizen.signalements.count()
    client_for(citizen).post(URL, _body(answers={}), format="json")
    assert citizen.signalements.count() == before


def test_the_schema_types_the_answers_and_documents_the_answer():
    document = yaml.safe_load(Client().get("/api/schema/").content)
    schemas = document["components"]["schemas"]
    operation = document["paths"][URL]["post"]
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert created == "#/components/schemas/MySignalement"
    mine = schemas["MySignalement"]
    for name in (
        "answers",
        "anonymous",
        "is_public",
        "timeline",
        "following",
        "mine",
        "can_reopen",
    ):
        assert name in mine["properties"], name
    [request] = operation["requestBody"]["content"].values()
    filed = schemas[request["schema"]["$ref"].rsplit("/", 1)[1]]
    for answers in (mine["properties"]["answers"], filed["properties"]["answers"]):
        assert answers["type"] == "object"
        kinds = answers["additionalProperties"]["oneOf"]
        assert {"type": "string"} in kinds
        assert {"type": "number"} in kinds
        assert {"type": "array", "items": {"type": "string"}} in kinds
