"""A point on the border of two communes belongs to one of them, whoever asks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils import timezone

from backend.models import Direction, Organisation
from contributions.models import Consultation, Contribution
from geo.models import Commune
from signalements.models import Category
from signalements.services import signalement_create

pytestmark = pytest.mark.django_db

# Two squares sharing the meridian 3.1: the higher INSEE code is created first, so that
# the lowest INSEE code and the lowest primary key point at different communes.
BORDER = (44.55, 3.1)  # latitude, longitude


def _square(west: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, 44.5, west + 0.1, 44.6)), srid=4326)


@pytest.fixture
def communes(db) -> tuple[Commune, Commune]:
    east = Commune.objects.create(insee_code="99002", name="Est", geometry=_square(3.1))
    west = Commune.objects.create(insee_code="99001", name="Ouest", geometry=_square(3.0))
    assert east.pk < west.pk
    return west, east


def test_the_locate_endpoint_gives_the_lowest_insee_code(api, communes):
    response = api.get("/api/v1/communes/locate/", {"latitude": BORDER[0], "longitude": BORDER[1]})
    assert response.status_code == 200
    assert response.json()["insee_code"] == "99001"


def test_a_report_on_the_border_goes_to_the_same_commune(citizen, communes):
    signalement = signalement_create(
        reporter=citizen,
        category=Category.objects.get(slug="chaussee-degradee"),
        description="Un trou sur la limite des deux communes.",
        latitude=BORDER[0],
        longitude=BORDER[1],
    )
    assert signalement.commune.insee_code == "99001"


def test_a_contribution_on_the_border_goes_to_the_same_commune(client_for, citizen, communes):
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug="limite",
        organisation=Organisation.objects.get(slug="nimes-metropole"),
        direction=Direction.objects.get(slug="nm-voirie"),
        title="Les chemins de la limite",
        summary="Où passent les chemins entre les deux communes.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        is_published=True,
        moderation_mode=Consultation.Moderation.A_POSTERIORI,
    )
    response = client_for(citizen).post(
        f"/api/v1/consultations/{consultation.slug}/contributions/",
        {
            "kind": "idea",
            "body": "Un banc sur la limite.",
            "location": {"type": "Point", "coordinates": [BORDER[1], BORDER[0]]},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Contribution.objects.get(pk=response.json()["id"]).commune.insee_code == "99001"
