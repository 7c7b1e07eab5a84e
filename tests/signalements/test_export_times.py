"""The exports and the figures write instants as the JSON API does: ISO 8601 with the
offset of the server's zone (Europe/Paris), never UTC."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest

from signalements.models import Signalement
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"
# Paris is at +01:00 in winter and +02:00 in summer.
PARIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$")


@pytest.fixture
def report(citizen):
    report = file_report(citizen, at=SAINT_GILLES)
    # A summer instant, in UTC: written 14:30 at +02:00 in Paris.
    Signalement.objects.filter(pk=report.pk).update(
        created_at=datetime(2026, 7, 14, 12, 30, 5, 250000, tzinfo=UTC)
    )
    return report


def _csv_row(client, report) -> dict[str, str]:
    response = client.get(f"{QUEUE}export/csv/")
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return next(row for row in csv.DictReader(io.StringIO(content)) if row["id"] == str(report.pk))


def test_the_csv_writes_the_instants_the_api_shows(client_for, agent_voirie, report):
    client = client_for(agent_voirie)
    shown = client.get(f"{QUEUE}{report.pk}/").json()

    row = _csv_row(client, report)

    assert row["created_at"] == shown["created_at"] == "2026-07-14T14:30:05.250000+02:00"
    assert row["resolve_due_at"] == (shown["resolve_due_at"] or "")
    assert PARIS.match(row["acknowledge_due_at"]), row["acknowledge_due_at"]


def test_the_geojson_export_writes_them_the_same_way(client_for, agent_voirie, report):
    client = client_for(agent_voirie)
    shown = client.get(f"{QUEUE}{report.pk}/").json()

    response = client.get(f"{QUEUE}export/geojson/")
    features = json.loads(b"".join(response.streaming_content))["features"]
    properties = next(f["properties"] for f in features if f["properties"]["id"] == report.pk)

    assert properties["created_at"] == shown["created_at"]
    assert properties["acknowledge_due_at"] == shown["acknowledge_due_at"]


def test_the_figures_say_when_they_were_computed_in_the_same_zone(api):
    computed_at = api.get("/api/v1/stats/signalements/").json()["computed_at"]

    assert PARIS.match(computed_at), computed_at


def test_cached_figures_keep_that_form(api, settings):
    settings.STATS_CACHE_SECONDS = 300
    first = api.get("/api/v1/stats/signalements/").json()["computed_at"]
    again = api.get("/api/v1/stats/signalements/").json()["computed_at"]

    assert again == first
    assert PARIS.match(again), again
