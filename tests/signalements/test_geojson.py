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


def _serializer_page(api, params: dict, url: str = URL) -> dict:
    """The same page written by SignalementGeoSerializer (the database path turned off)."""
    from unittest import mock

    with mock.patch("signalements.views.features_in_database", return_value=False):
        return api.get(url, params).json()


def _comparable(page: dict) -> dict:
    """The page with coordinates rounded to 1e-9 degree (the serializer's GDAL writes 15
    significant digits, the database every digit of the double)."""
    for feature in page["features"]:
        coordinates = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [round(value, 9) for value in coordinates]
    return page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_database_writes_the_same_features_as_the_serializer(
    api, citizen, other_citizen, language
):
    from django.db import connection

    from signalements import photos, services
    from signalements.models import Signalement
    from signalements.selectors.geojson import features_in_database
    from tests.signalements.factories import SAINT_GILLES, jpeg_bytes, upload

    if connection.vendor != "postgresql":
        pytest.skip("the database writes GeoJSON on PostgreSQL only")
    assert features_in_database(), "the page below must come from the database"
    with_photo = file_report(
        citizen, slug="depot-sauvage", photos=[upload(jpeg_bytes(size=(900, 600)))], answers={}
    )
    photos.photo_process(photo_id=with_photo.photos.get().pk)
    anonymous = file_report(citizen, anonymous=True, at=SAINT_GILLES, description='« Trou » "ici"')
    services.signalement_follow(signalement=anonymous, user=other_citizen)
    Signalement.objects.filter(pk=anonymous.pk).update(direction=None)
    other_citizen.is_active = False
    other_citizen.save()
    file_report(other_citizen)
    params = {"format": "geojson", "page_size": 30}
    api.credentials(HTTP_ACCEPT_LANGUAGE=language)

    database = api.get(URL, params).json()
    assert _comparable(database) == _comparable(_serializer_page(api, params))
    assert len(database["features"]) == 30
    photos = next(f for f in database["features"] if f["id"] == with_photo.pk)
    assert photos["properties"]["photos"][0]["large_url"].startswith("http://testserver/")
    following = database["next"]
    assert _comparable(api.get(following).json()) == _comparable(
        _serializer_page(api, {}, url=following)
    )


def test_a_viewport_of_500_features_is_one_page(api):
    body = api.get(URL, {"format": "geojson", "page_size": 500, "in_bbox": "4.0,43.6,4.7,44.1"})
    assert body.status_code == 200
    from signalements.models import Signalement

    assert len(body.json()["features"]) == min(500, Signalement.objects.public().count())
