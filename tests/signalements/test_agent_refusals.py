"""The field service's refusals: a forbidden move is a 409 naming both statuses; every
write's bad input a 400 naming its field, in French by default and in English."""

from __future__ import annotations

import pytest
from django.utils import translation

from signalements.models import Category, Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


@pytest.fixture
def road(citizen):
    return file_report(citizen, at=SAINT_GILLES)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_forbidden_move_is_a_409_naming_both_statuses(client_for, agent_voirie, road, language):
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transition/",
        {"status": Status.CLOSED},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    with translation.override(language):
        assert str(Status.NEW.label) in body["detail"]
        assert str(Status.CLOSED.label) in body["detail"]
    road.refresh_from_db()
    assert road.status == Status.NEW


def _cases(road, agent_eau):
    inactive = Category.objects.create(
        theme=road.category.theme, name="Ancienne", slug="ancienne", is_active=False
    )
    long_text = "x" * 5000
    return [
        ("transition", {"status": "vole"}, "status"),
        ("transition", {}, "status"),
        ("transition", {"status": Status.REJECTED}, "reject_reason"),
        (
            "transition",
            {"status": Status.ACKNOWLEDGED, "public_message": long_text},
            "public_message",
        ),
        (
            "transition",
            {"status": Status.ACKNOWLEDGED, "reject_reason": "parce-que"},
            "reject_reason",
        ),
        ("assign", {"agent": 999_999_999}, "agent"),
        ("assign", {"agent": "Karim"}, "agent"),
        ("assign", {"agent": agent_eau.pk}, "agent"),
        ("assign", {}, "agent"),
        ("transfer", {"direction": "nulle-part", "reason": "Ailleurs"}, "direction"),
        ("transfer", {"direction": "nm-voirie", "reason": "Ailleurs"}, "direction"),
        ("transfer", {"direction": "nm-eau"}, "reason"),
        ("transfer", {"direction": "nm-eau", "reason": "   "}, "reason"),
        ("duplicate", {"original": 999_999_999}, "original"),
        ("duplicate", {"original": road.pk}, "original"),
        ("duplicate", {}, "original"),
        ("notes", {"text": "   "}, "text"),
        ("notes", {"text": long_text}, "text"),
        ("notes", {}, "text"),
        ("category", {"category": "nulle-part"}, "category"),
        ("category", {"category": inactive.slug}, "category"),
        ("category", {}, "category"),
    ]


def test_every_bad_write_is_a_400_naming_its_field_in_french_and_english(
    client_for, agent_voirie, agent_eau, road
):
    client = client_for(agent_voirie)
    for action, body, field in _cases(road, agent_eau):
        answers = {}
        for language in ("fr", "en"):
            response = client.post(
                f"{QUEUE}{road.pk}/{action}/", body, format="json", HTTP_ACCEPT_LANGUAGE=language
            )
            where = (action, body, language)
            assert response.status_code == 400, (where, response.content)
            error = response.json()
            assert error["code"] == "invalid", where
            assert field in error["fields"], (where, error)
            answers[language] = error["fields"][field][0]
        assert answers["fr"] != answers["en"], (action, body, answers)
    road.refresh_from_db()
    assert (road.status, road.direction.slug, road.assigned_to_id) == (
        Status.NEW,
        "nm-voirie",
        None,
    )
    assert not road.events.filter(kind="note").exists()


@pytest.mark.parametrize(
    "action", ["transition", "assign", "transfer", "duplicate", "notes", "category"]
)
def test_a_body_that_is_not_an_object_is_a_400(client_for, agent_voirie, road, action):
    response = client_for(agent_voirie).post(f"{QUEUE}{road.pk}/{action}/", [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
