from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point

from signalements.models import Signalement
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


def many(citizen, count: int) -> None:
    """The demo reports make way for ``count`` + 1 known ones."""
    Signalement.objects.all().delete()
    template = file_report(citizen, at=SAINT_GILLES)
    rows = []
    for index in range(count):
        template.pk = None
        template.description = f"Trou n°{index} ; à côté"
        template.location = Point(SAINT_GILLES[1], SAINT_GILLES[0], srid=4326)
        rows.append(
            Signalement(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Signalement._meta.concrete_fields
                    if f.attname != "id"
                }
            )
        )
    Signalement.objects.bulk_create(rows, batch_size=1000)


def test_a_streamed_csv_of_many_rows_opens_in_french_excel(client_for, agent_voirie, citizen):
    many(citizen, 3000)
    response = client_for(agent_voirie).get(f"{QUEUE}export/csv/", {"separator": "semicolon"})
    assert response.status_code == 200
    assert response.streaming
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "id"
    assert len(rows) == 1 + 3001
    assert any("; à côté" in row[10] for row in rows[1:])


def test_the_geojson_export_parses(client_for, agent_voirie, citizen):
    many(citizen, 5)
    response = client_for(agent_voirie).get(f"{QUEUE}export/geojson/")
    body = json.loads(b"".join(response.streaming_content))
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 6
    assert body["features"][0]["geometry"]["type"] == "Point"


def test_a_resident_exports_nothing(client_for, citizen):
    many(citizen, 2)
    response = client_for(citizen).get(f"{QUEUE}export/csv/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
