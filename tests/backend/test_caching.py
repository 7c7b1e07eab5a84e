"""ETag and 304 for phones, Cache-Control per resource, gzip of JSON answers."""

from __future__ import annotations

import gzip
import json

import pytest

from backend.caching import cache_control_for, etag_matches
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/categories/", "/api/v1/communes/", "/api/v1/signalements/"],
)
def test_an_unchanged_list_costs_a_304(api, path):
    first = api.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_detail_gets_a_304_then_a_new_tag_when_it_changes(api, citizen):
    report = file_report(citizen)
    url = f"/api/v1/signalements/{report.pk}/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    report.description = "Un trou plus grand."
    report.save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_cache_control_suits_each_resource(api):
    assert "max-age=3600" in api.get("/api/v1/categories/")["Cache-Control"]
    assert "max-age=3600" in api.get("/api/v1/communes/")["Cache-Control"]
    assert api.get("/api/v1/signalements/")["Cache-Control"] == "public, max-age=30"
    assert cache_control_for("/api/v1/signalements/12/") == "public, max-age=60"
    assert cache_control_for("/api/v1/signalements/map/") == "public, max-age=60"
    assert cache_control_for("/api/v1/themes/") == "public, max-age=3600"
    assert cache_control_for("/api/v1/consultation-themes/") == "public, max-age=3600"


def test_personal_answers_are_private_and_untagged(client_for, citizen):
    response = client_for(citizen).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag")
    assert "Authorization" in response["Vary"]


def test_errors_and_writes_get_no_tag(api):
    assert not api.get("/api/v1/signalements/999999999/").has_header("ETag")
    assert not api.post("/api/v1/signalements/", {}).has_header("ETag")


def test_json_is_gzipped_and_the_tag_stays_valid(api):
    plain = api.get("/api/v1/categories/")
    zipped = api.get("/api/v1/categories/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    # GZipMiddleware weakens the tag of a compressed body; it still validates the same list.
    assert zipped["ETag"] == "W/" + plain["ETag"]
    again = api.get(
        "/api/v1/categories/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
    )
    assert again.status_code == 304


def test_if_none_match_comparison():
    assert etag_matches('"a", W/"b"', '"b"')
    assert etag_matches("*", '"x"')
    assert not etag_matches('"a"', '"b"')
