from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Consultation

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def test_drafts_are_invisible_to_the_public(api, make_consultation):
    make_consultation("brouillon")
    assert "brouillon" not in slugs(api.get("/api/v1/consultations/"))
    assert api.get("/api/v1/consultations/brouillon/").status_code == 404


def test_drafts_are_invisible_to_residents(client_for, citizen, make_consultation):
    make_consultation("brouillon")
    assert client_for(citizen).get("/api/v1/consultations/brouillon/").status_code == 404


def test_staff_of_the_organisation_preview_a_draft(client_for, moderator, make_consultation):
    make_consultation("brouillon")
    response = client_for(moderator).get("/api/v1/consultations/brouillon/")
    assert response.status_code == 200
    assert response.json()["is_published"] is False


def test_agents_of_another_organisation_do_not_see_its_drafts(client_for, moderator):
    gard = Consultation.objects.get(slug="schema-departemental-velo")
    Consultation.objects.filter(pk=gard.pk).update(is_published=False)
    assert client_for(moderator).get(f"/api/v1/consultations/{gard.slug}/").status_code == 404


def test_a_closed_consultation_stays_viewable_forever(api, make_consultation):
    long_ago = timezone.now() - timedelta(days=3650)
    make_consultation(
        "ancienne", opens_at=long_ago, closes_at=long_ago + timedelta(days=30), is_published=True
    )
    assert api.get("/api/v1/consultations/ancienne/").status_code == 200
    assert "ancienne" in slugs(api.get("/api/v1/consultations/?status=closed"))


def test_the_detail_has_phases_meetings_documents_and_participation(api):
    data = api.get("/api/v1/consultations/plan-de-mobilite-2035/").json()
    assert len(data["phases"]) == 3
    assert len(data["meetings"]) == 2
    assert data["documents"][0]["size"] > 0
    assert data["documents"][0]["content_type"] == "application/pdf"
    assert data["participation"] == {
        "contributions_allowed": True,
        "comments_allowed": True,
        "moderation_mode": "a_posteriori",
        "is_open": True,
    }


def test_a_relayed_consultation_takes_no_participation_here(api):
    data = api.get("/api/v1/consultations/schema-departemental-velo/").json()
    assert data["is_relayed"] is True
    assert data["organisation"]["slug"] == "departement-du-gard"
    assert data["url"] == data["external_url"] == "https://www.gard.fr/participer/schema-velo"
    assert data["participation"]["contributions_allowed"] is False


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("status=upcoming", "budget-participatif-climat", "plan-de-mobilite-2035"),
        ("status=open", "plan-de-mobilite-2035", "schema-collecte-dechets"),
        ("commune=30075", "revision-plu-caveirac", "concertation-prealable-tram-ligne-2"),
        ("theme=eau", "zonage-assainissement-pluvial", "plan-de-mobilite-2035"),
        ("organisation=commune-30075", "revision-plu-caveirac", "plan-de-mobilite-2035"),
        ("kind=regulatory", "revision-plu-caveirac", "plan-de-mobilite-2035"),
        ("q=mobilité", "plan-de-mobilite-2035", "revision-plu-caveirac"),
    ],
)
def test_the_list_filters(api, query, included, excluded):
    found = slugs(api.get(f"/api/v1/consultations/?{query}"))
    assert included in found
    assert excluded not in found


def test_a_point_and_a_radius_find_consultations_around(api):
    # Caveirac's town centre; the tram line is on Nîmes and Caissargues, further east.
    near = slugs(api.get("/api/v1/consultations/?latitude=43.8262&longitude=4.2637&radius=500"))
    assert "revision-plu-caveirac" in near
    assert "concertation-prealable-tram-ligne-2" not in near


def test_half_a_point_filter_is_a_400_naming_the_field(api):
    response = api.get("/api/v1/consultations/?latitude=43.8&longitude=4.3")
    assert response.status_code == 400
    assert "radius" in response.json()["fields"]


def test_the_list_can_be_ordered(api):
    results = api.get("/api/v1/consultations/?ordering=closes_at").json()["results"]
    closes = [item["closes_at"] for item in results]
    assert closes == sorted(closes)


def test_the_map_is_geojson_of_published_scopes(api, make_consultation):
    make_consultation("brouillon")
    response = api.get("/api/v1/consultations/map/?format=geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_id = {feature["id"]: feature for feature in data["features"]}
    assert "brouillon" not in by_id
    assert by_id["revision-plu-caveirac"]["geometry"]["type"] == "MultiPolygon"
