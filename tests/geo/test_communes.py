from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_list_is_plain_json_without_geometry(api):
    response = api.get("/api/v1/communes/")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 39
    nimes = next(item for item in body if item["insee_code"] == "30189")
    assert nimes["name"] == "Nîmes"
    assert "geometry" not in nimes


def test_geojson_is_a_feature_collection_of_simplified_boundaries(api):
    response = api.get("/api/v1/communes/", {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 39
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert {"insee_code", "name"} <= feature["properties"].keys()
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 3.9 < lon < 4.8 and 43.5 < lat < 44.1


def test_the_accept_header_also_selects_geojson(api):
    response = api.get("/api/v1/communes/", HTTP_ACCEPT="application/geo+json")
    assert response.json()["type"] == "FeatureCollection"


def test_full_geometry_on_request_has_at_least_as_many_points(api):
    simple = api.get("/api/v1/communes/30189/", {"format": "geojson"}).json()
    full = api.get("/api/v1/communes/30189/", {"format": "geojson", "geometry": "full"}).json()
    count = lambda f: sum(len(ring) for poly in f["geometry"]["coordinates"] for ring in poly)  # noqa: E731
    assert count(full) >= count(simple) > 3


def test_a_commune_names_its_organisation_by_slug(api):
    response = api.get("/api/v1/communes/")
    organisations = {item["organisation"] for item in response.json()}
    assert organisations - {None}
    assert all(isinstance(slug, str) and not slug.isdigit() for slug in organisations - {None})


def test_listing_the_communes_costs_few_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/communes/").status_code == 200
