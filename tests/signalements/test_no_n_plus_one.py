"""Every list of the public API costs the same number of queries for 2 items as for 20."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.models import Direction, Organisation
from contributions.models import Consultation
from geo.models import Commune
from push import services as push_services
from push.models import Kind
from signalements.models import Category, Follow, Photo, Question, Signalement, Theme
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


def _queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.fixture
def twenty_reports(citizen, other_citizen) -> list[Signalement]:
    reports = []
    for index in range(20):
        report = file_report(citizen, anonymous=index % 2 == 0)
        Photo.objects.create(signalement=report, position=0)
        Follow.objects.create(signalement=report, user=other_citizen)
        reports.append(report)
    return reports


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_signalement_list(api, twenty_reports, fmt):
    params = {"created_since": twenty_reports[0].created_at.isoformat(), "format": fmt}
    assert _queries(api, "/api/v1/signalements/", {**params, "page_size": 2}) == _queries(
        api, "/api/v1/signalements/", {**params, "page_size": 20}
    )


def test_agent_queue(client_for, agent_voirie, twenty_reports):
    direction = agent_voirie.memberships.first().direction
    Signalement.objects.filter(pk__in=[r.pk for r in twenty_reports]).update(direction=direction)
    client = client_for(agent_voirie)
    url = "/api/v1/agent/signalements/"
    assert _queries(client, url, {"page_size": 2}) == _queries(client, url, {"page_size": 20})


def test_categories(api):
    """Unpaginated: the count is taken again after 18 more categories with questions."""
    before = _queries(api, "/api/v1/categories/")
    theme = Theme.objects.first()
    for index in range(18):
        category = Category.objects.create(
            theme=theme, name=f"Catégorie {index}", slug=f"categorie-bench-{index}"
        )
        Question.objects.create(category=category, code="q", description="Où ?")
    assert _queries(api, "/api/v1/categories/") == before


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_communes(api, fmt):
    before = _queries(api, "/api/v1/communes/", {"format": fmt})
    for index in range(18):
        x = 10 + index
        square = MultiPolygon(Polygon.from_bbox((x, 40, x + 0.5, 40.5)), srid=4326)
        Commune.objects.create(
            insee_code=f"99{index:03d}",
            name=f"Commune {index}",
            geometry=square,
            geometry_simplified=square,
        )
    assert _queries(api, "/api/v1/communes/", {"format": fmt}) == before


def test_consultations(api):
    now = timezone.now()
    direction = Direction.objects.get(slug="nm-transports")
    organisation = Organisation.objects.get(slug="nimes-metropole")
    communes = list(Commune.objects.all()[:3])
    for index in range(20):
        consultation = Consultation.objects.create(
            slug=f"bench-{index}",
            organisation=organisation,
            direction=direction,
            title=f"Consultation {index}",
            summary="Résumé",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            is_published=True,
        )
        consultation.communes.set(communes)
    url = "/api/v1/consultations/"
    assert _queries(api, url, {"page_size": 2}) == _queries(api, url, {"page_size": 20})


def test_notifications(client_for, citizen):
    for index in range(20):
        push_services.notify(
            users=[citizen],
            kind=Kind.MY_REPORTS,
            title={"fr": f"Titre {index}"},
            body={"fr": "Corps"},
            link_type="signalement",
            link_id=index,
        )
    client = client_for(citizen)
    url = "/api/v1/notifications/"
    assert _queries(client, url, {"page_size": 2}) == _queries(client, url, {"page_size": 20})
