"""Lists cost a fixed number of queries, whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signalements.models import Follow, Photo
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


def _count(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def rich_reports(citizen, other_citizen):
    """Twenty reports with photos and supporters, the newest of the database."""
    reports = []
    for index in range(20):
        report = file_report(citizen, anonymous=index % 2 == 0)
        Photo.objects.create(signalement=report, position=0)
        Follow.objects.create(signalement=report, user=other_citizen)
        reports.append(report)
    return reports


@pytest.mark.parametrize("geojson", [False, True])
def test_the_public_list_does_not_grow_with_the_page(api, rich_reports, geojson):
    since = {"created_since": rich_reports[0].created_at.isoformat()}
    if geojson:
        since["format"] = "geojson"
    small = _count(api, "/api/v1/signalements/", {**since, "page_size": 2})
    large = _count(api, "/api/v1/signalements/", {**since, "page_size": 20})
    assert small == large


def test_my_reports_do_not_grow_with_the_page(client_for, citizen, rich_reports):
    client = client_for(citizen)
    small = _count(client, "/api/v1/me/signalements/", {"page_size": 2})
    large = _count(client, "/api/v1/me/signalements/", {"page_size": 20})
    assert small == large


def test_nearby_does_not_grow_with_the_results(api, rich_reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api.get(
            "/api/v1/signalements/nearby/",
            {"latitude": 43.8367, "longitude": 4.3601, "category": rich_reports[0].category_id},
        )
    assert len(response.json()["results"]) == 20
