"""``created_until`` ends the lists and the agents' exports: reports filed before a moment."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from signalements.models import Signalement
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/signalements/"
QUEUE = "/api/v1/agent/signalements/"
PARIS = ZoneInfo("Europe/Paris")
# January 2026, at noon in Nîmes: before, inside and exactly at the end of the period.
FILED = {"before": 10, "inside": 20, "at_the_end": 30}
PERIOD = {
    "created_since": "2026-01-15T00:00:00+01:00",
    "created_until": "2026-01-30T12:00:00+01:00",
}


@pytest.fixture
def reports(citizen) -> dict[str, int]:
    """Three roads reports in Saint-Gilles (the demo agent's), filed in January at noon."""
    made = {}
    for name, day in FILED.items():
        report = file_report(citizen, at=SAINT_GILLES)
        Signalement.objects.filter(pk=report.pk).update(
            created_at=datetime(2026, 1, day, 12, tzinfo=PARIS)
        )
        made[name] = report.pk
    return made


def _ours(ids, reports: dict[str, int]) -> set[str]:
    """The names of our reports among ``ids`` (the demo data holds others)."""
    by_id = {pk: name for name, pk in reports.items()}
    return {by_id[pk] for pk in ids if pk in by_id}


def _csv_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]


def _geojson_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    features = json.loads(b"".join(response.streaming_content))["features"]
    return [feature["properties"]["id"] for feature in features]


def _page_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_public_list_stops_before_the_end(api, reports):
    ids = _page_ids(api.get(PUBLIC, {**PERIOD, "page_size": 100}))
    assert _ours(ids, reports) == {"inside"}


def test_the_end_alone_keeps_everything_before_it(api, reports):
    ids = _page_ids(api.get(PUBLIC, {"created_until": PERIOD["created_until"], "page_size": 100}))
    assert _ours(ids, reports) == {"before", "inside"}


def test_the_queue_stops_before_the_end(client_for, agent_voirie, reports):
    ids = _page_ids(client_for(agent_voirie).get(QUEUE, {**PERIOD, "page_size": 100}))
    assert _ours(ids, reports) == {"inside"}


def test_the_csv_export_stops_before_the_end(client_for, agent_voirie, reports):
    ids = _csv_ids(client_for(agent_voirie).get(f"{QUEUE}export/csv/", PERIOD))
    assert _ours(ids, reports) == {"inside"}


def test_the_geojson_export_stops_before_the_end(client_for, agent_voirie, reports):
    ids = _geojson_ids(client_for(agent_voirie).get(f"{QUEUE}export/geojson/", PERIOD))
    assert _ours(ids, reports) == {"inside"}


def test_another_direction_exports_none_of_them(client_for, agent_eau, reports):
    ids = _csv_ids(client_for(agent_eau).get(f"{QUEUE}export/csv/", PERIOD))
    assert _ours(ids, reports) == set()


def test_a_resident_still_cannot_export(client_for, citizen, reports):
    assert client_for(citizen).get(f"{QUEUE}export/csv/", PERIOD).status_code == 403


@pytest.mark.parametrize("path", [PUBLIC, QUEUE, f"{QUEUE}export/csv/"])
def test_an_end_that_is_no_moment_is_a_400_naming_it(client_for, agent_voirie, path):
    response = client_for(agent_voirie).get(path, {"created_until": "fin janvier"})
    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {"created_until"}


def test_the_schema_says_before(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (PUBLIC, QUEUE):
        parameters = schema["paths"][path]["get"]["parameters"]
        [until] = [p for p in parameters if p["name"] == "created_until"]
        assert until["schema"] == {"type": "string", "format": "date-time"}
        assert "before" in until["description"] or "avant" in until["description"]
