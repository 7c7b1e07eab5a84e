"""A report's public steps are its ``timeline`` on every resident screen and in the schema."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


def test_the_detail_and_my_reports_say_timeline(api, client_for, citizen):
    report = file_report(citizen)
    detail = api.get(f"/api/v1/signalements/{report.pk}/").json()
    [mine] = [
        item
        for item in client_for(citizen).get("/api/v1/me/signalements/").json()["results"]
        if item["id"] == report.pk
    ]
    for body in (detail, mine):
        assert [step["status"] for step in body["timeline"]] == ["nouveau"]
        assert "history" not in body


def test_no_resident_schema_says_history():
    schemas = yaml.safe_load(Client().get("/api/schema/").content)["components"]["schemas"]
    for name in ("SignalementDetail", "MySignalement"):
        assert "timeline" in schemas[name]["properties"], name
    resident = {name: schema for name, schema in schemas.items() if not name.startswith("Agent")}
    assert not [
        name for name, schema in resident.items() if "history" in schema.get("properties", {})
    ]


def test_staff_reading_the_public_detail_get_its_timeline_too(client_for, citizen, agent_eau):
    report = file_report(citizen, slug="fuite-d-eau")
    body = client_for(agent_eau).get(f"/api/v1/signalements/{report.pk}/").json()
    assert "routing" in body
    assert body["answers"] == {"emplacement": "trottoir"}
    assert [step["status"] for step in body["timeline"]] == ["nouveau"]
    assert (body["following"], body["mine"], body["can_reopen"]) == (False, False, False)
