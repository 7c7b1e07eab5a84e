from __future__ import annotations

import pytest

from tests.signalements.factories import file_report

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


def test_the_list_is_a_feature_collection_with_format_geojson(api, citizen):
    report = file_report(citizen, anonymous=True)
    response = api.get(URL, {"format": "geojson", "created_since": report.created_at.isoformat()})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == report.pk
    assert feature["geometry"]["type"] == "Point"
    # RFC 7946: longitude first.
    assert feature["geometry"]["coordinates"] == pytest.approx([4.3601, 43.8367])
    assert feature["properties"]["category"]["slug"] == "chaussee-degradee"
    assert feature["properties"]["reporter_name"] is None
    assert "crs" not in body


def test_the_accept_header_asks_for_geojson_too(api, citizen):
    report = file_report(citizen)
    response = api.get(f"{URL}{report.pk}/", HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response.json()["type"] == "Feature"


def test_geojson_pages_carry_their_links_beside_the_features(api):
    body = api.get(URL, {"format": "geojson", "page_size": 3}).json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 3
    assert "cursor=" in body["next"]
    following = api.get(body["next"]).json()
    assert following["type"] == "FeatureCollection"
