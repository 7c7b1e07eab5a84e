"""No list pays for a boundary it does not show: a commune's geometry is never selected by
a list that shows only its name, code or postcode (real boundaries have thousands of
vertices each). The outlines themselves (communes as GeoJSON, consultations' map) are the
only lists that read them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contributions.models import Consultation
from signalements.models import Category
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db

BOUNDARY = re.compile(r'"geo_commune"\."geometry(?:_simplified)?"')

PUBLIC_LISTS = [
    "/api/v1/signalements/",
    "/api/v1/signalements/?format=geojson",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/api/v1/consultations/",
    "/api/v1/communes/",
    "/api/v1/actors/",
    "/api/v1/consultations/{consultation}/contributions/",
    "/api/v1/consultations/feed.json",
    "/api/v1/consultations/feed.atom",
    "/api/v1/signalements/nearby/?latitude=43.8367&longitude=4.3601&category={category}",
]
AGENT_LISTS = [
    "/api/v1/agent/signalements/",
    "/api/v1/agent/signalements/export/csv/",
    "/api/v1/agent/signalements/export/geojson/",
]
RESIDENT_LISTS = ["/api/v1/me/signalements/"]


def boundaries_read(client, url: str) -> list[str]:
    url = url.format(
        consultation=Consultation.objects.published().first().slug,
        category=Category.objects.filter(is_active=True).first().pk,
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT="*/*")
        if response.streaming:  # exports are written while they are read
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    # What a query selects: the part before its first FROM (a filter may use the boundary).
    return [q["sql"][:200] for q in captured if BOUNDARY.search(q["sql"].split(" FROM ", 1)[0])]


@pytest.fixture
def reports(citizen, agent_voirie):
    direction = agent_voirie.memberships.first().direction
    filed = [file_report(citizen) for _ in range(3)]
    for report in filed:
        report.direction = direction
        report.save(update_fields=["direction"])
    assert Consultation.objects.exists()
    return filed


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_public_lists_read_no_boundary(api, reports, url):
    assert boundaries_read(api, url) == []


@pytest.mark.parametrize("url", AGENT_LISTS)
def test_agents_lists_read_no_boundary(client_for, agent_voirie, reports, url):
    assert boundaries_read(client_for(agent_voirie), url) == []


@pytest.mark.parametrize("url", RESIDENT_LISTS)
def test_residents_lists_read_no_boundary(client_for, citizen, reports, url):
    assert boundaries_read(client_for(citizen), url) == []


def test_the_check_sees_a_list_that_reads_boundaries(api, reports):
    # The outlines are what this list is for: the check must see them.
    assert boundaries_read(api, "/api/v1/communes/?format=geojson")
