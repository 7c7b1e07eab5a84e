"""The map at any zoom: clusters with counts far out, points close in, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from signalements.models import Signalement
from signalements.selectors import map as map_selectors
from tests.signalements.factories import NIMES, file_report

pytestmark = pytest.mark.django_db

TERRITORY = (4.0, 43.6, 4.7, 44.1)
URL = "/api/v1/signalements/map/"


def _bbox(box: tuple[float, float, float, float]) -> str:
    return ",".join(str(value) for value in box)


def _total(features: list[dict]) -> int:
    return sum(f["properties"].get("count", 1) for f in features)


def _public_in(box: tuple[float, float, float, float]) -> int:
    from django.contrib.gis.geos import Polygon

    return Signalement.objects.public().filter(location__bboverlaps=Polygon.from_bbox(box)).count()


def test_low_zoom_gives_clusters_that_count_every_public_report(api):
    response = api.get(URL, {"bbox": _bbox(TERRITORY), "zoom": 9})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["mode"] == "clusters"
    assert any(f["properties"].get("cluster") for f in body["features"])
    assert _total(body["features"]) == _public_in(TERRITORY)


def test_high_zoom_gives_points_with_their_ids(api, citizen):
    report = file_report(citizen)
    lat, lon = NIMES
    box = (lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002)
    body = api.get(URL, {"bbox": _bbox(box), "zoom": 17}).json()
    assert body["mode"] == "points"
    ids = {f["properties"]["id"] for f in body["features"]}
    assert report.pk in ids
    assert all("cluster" not in f["properties"] for f in body["features"])


def test_filters_narrow_the_counts(api, citizen):
    report = file_report(citizen)
    every = api.get(URL, {"bbox": _bbox(TERRITORY), "zoom": 10}).json()
    mine = api.get(
        URL,
        {
            "bbox": _bbox(TERRITORY),
            "zoom": 10,
            "category": report.category_id,
            "status": report.status,
            "since": report.created_at.isoformat(),
        },
    ).json()
    assert _total(mine["features"]) >= 1
    assert _total(mine["features"]) < _total(every["features"])


@pytest.mark.parametrize(
    "params",
    [{"bbox": "1,2,3", "zoom": 10}, {"bbox": "5,44,4,43", "zoom": 10}, {"bbox": _bbox(TERRITORY)}],
)
def test_bad_viewports_are_refused(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400


@pytest.mark.parametrize("since", ["8999-12-30T12:00:00Z", "1900-01-02T00:00:00Z"])
def test_periods_at_the_ends_of_the_accepted_calendar(api, since):
    body = api.get(URL, {"bbox": _bbox(TERRITORY), "zoom": 10, "since": since}).json()
    expected = 0 if since.startswith("8999") else _public_in(TERRITORY)
    assert _total(body["features"]) == expected


@pytest.mark.parametrize("since", ["9999-12-30T12:00:00Z", "0001-01-02T00:00:00Z"])
def test_periods_beyond_the_accepted_calendar_are_refused(api, since):
    response = api.get(URL, {"bbox": _bbox(TERRITORY), "zoom": 10, "since": since})
    assert response.status_code == 400
    assert "since" in response.json()["fields"]


@pytest.mark.parametrize("zoom", [8, 12, 17])
def test_database_and_python_grids_agree(zoom):
    """The PostGIS statement and the Python fallback (SpatiaLite) give the same map."""
    box = TERRITORY if zoom < 16 else (4.34, 43.82, 4.38, 43.85)
    python = map_selectors._signalement_map_python(
        bbox=box, zoom=zoom, categories=None, statuses=None, since=None
    )
    assert _total(python["features"]) == min(_public_in(box), map_selectors.MAP_MAX_POINTS)
    if connection.vendor != "postgresql":
        return
    import json

    database = json.loads(map_selectors.signalement_map(bbox=box, zoom=zoom))

    def summary(body: dict) -> list:
        return sorted(
            (
                f["properties"].get("count", 1),
                f["properties"].get("id"),
                round(f["geometry"]["coordinates"][0], 4),
                round(f["geometry"]["coordinates"][1], 4),
            )
            for f in body["features"]
        )

    assert summary(database) == summary(python)


def test_cells_widen_when_a_viewport_is_oversized():
    size = map_selectors.map_cell_size(zoom=18, bbox=(-180.0, -85.0, 180.0, 85.0))
    assert 360 / size <= map_selectors.MAP_MAX_CELLS_PER_SIDE
