"""A contribution's place is a 2-D GeoJSON point; anything else is a 400 naming ``location``."""

from __future__ import annotations

import pytest

from contributions.models import Consultation, Contribution
from contributions.selectors.consultations import consultation_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client_for, citizen):
    consultation = Consultation.objects.open().first()
    client = client_for(citizen)

    def send(location, **headers):
        before = Contribution.objects.count()
        response = client.post(
            f"/api/v1/consultations/{consultation.slug}/contributions/",
            {
                "kind": "idea",
                "body": "Planter des arbres le long du boulevard.",
                "location": location,
            },
            format="json",
            **headers,
        )
        assert Contribution.objects.count() == before
        return response

    return send


@pytest.mark.parametrize(
    "location",
    [
        {"type": "Point", "coordinates": [4.36]},
        {"type": "Point", "coordinates": [4.36, 43.84, "haut"]},
        {"type": "Point", "coordinates": [4.36, 43.84, 1.0, 2.0]},
        {"type": "Point", "coordinates": ["NaN", 43.84]},
        {"type": "Point", "coordinates": [400, 43.84]},
        {"type": "Point", "coordinates": "4.36,43.84"},
        {"type": "Polygon", "coordinates": [[[4.36, 43.84], [4.37, 43.84], [4.37, 43.85]]]},
        "POINT(4.36 43.84)",
        [4.36, 43.84],
    ],
)
def test_a_place_that_is_not_a_flat_point_is_refused(post, location):
    response = post(location)
    assert response.status_code == 400
    assert "location" in response.json()["fields"]


def test_the_refusal_is_in_english_on_request(post):
    response = post({"type": "Point", "coordinates": [4.36]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["fields"]["location"] == [
        "A point has two coordinates, longitude and latitude (and an altitude)."
    ]


def test_an_altitude_is_dropped(client_for, citizen):
    consultation = Consultation.objects.open().first()
    centre = consultation_scope(consultation).point_on_surface
    response = client_for(citizen).post(
        f"/api/v1/consultations/{consultation.slug}/contributions/",
        {
            "kind": "idea",
            "body": "Un banc à l'ombre, s'il vous plaît.",
            "location": {"type": "Point", "coordinates": [centre.x, centre.y, 41.5]},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    location = Contribution.objects.get(pk=response.json()["id"]).location
    assert not location.hasz
    assert (round(location.x, 6), round(location.y, 6)) == (round(centre.x, 6), round(centre.y, 6))


def test_a_flat_point_inside_the_scope_is_kept(client_for, citizen):
    consultation = Consultation.objects.open().first()
    response = client_for(citizen).post(
        f"/api/v1/consultations/{consultation.slug}/contributions/",
        {"kind": "idea", "body": "Un banc à l'ombre, s'il vous plaît.", "location": None},
        format="json",
    )
    assert response.status_code == 201, response.content
