"""The agent's report calls its steps ``timeline``, as the resident's does."""

from __future__ import annotations

import pytest

from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db


def test_the_agent_detail_has_a_timeline_with_the_internal_notes(client_for, agent_voirie, citizen):
    report = file_report(citizen, at=SAINT_GILLES)
    client = client_for(agent_voirie)
    client.post(
        f"/api/v1/agent/signalements/{report.pk}/notes/", {"text": "Cône posé"}, format="json"
    )

    agent = client.get(f"/api/v1/agent/signalements/{report.pk}/").json()
    public = client_for(citizen).get(f"/api/v1/signalements/{report.pk}/").json()

    assert "history" not in agent
    assert [step["kind"] for step in agent["timeline"]][:1] == ["status"]
    assert any(step["internal_note"] == "Cône posé" for step in agent["timeline"])
    assert {step["id"] for step in public["timeline"]} <= {step["id"] for step in agent["timeline"]}


def test_the_schema_names_it_timeline(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    properties = schema["components"]["schemas"]["AgentSignalementDetail"]["properties"]
    assert "timeline" in properties
    assert "history" not in properties
