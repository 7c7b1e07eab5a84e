from __future__ import annotations

import pytest

from signalements.models import Category, Signalement
from tests.signalements.factories import file_report

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_public_queryset_leaves_out_private_reports_and_private_categories(citizen):
    public = file_report(citizen)
    hidden = file_report(citizen)
    hidden.is_public = False
    hidden.save()
    private = file_report(citizen, slug="comportement-dangereux")
    visible = set(Signalement.objects.public().values_list("pk", flat=True))
    assert public.pk in visible
    assert hidden.pk not in visible
    assert private.pk not in visible


def test_the_list_shows_public_reports_only(api, citizen):
    public = file_report(citizen, description="visible")
    private = file_report(citizen, slug="comportement-dangereux")
    ids = _ids(api.get(URL, {"created_since": public.created_at.isoformat()}))
    assert public.pk in ids
    assert private.pk not in ids


def test_a_category_made_private_hides_its_reports(api, citizen):
    report = file_report(citizen)
    Category.objects.filter(pk=report.category_id).update(is_public=False)
    assert api.get(f"{URL}{report.pk}/").status_code == 404


def test_a_private_report_is_a_404_for_the_public_and_for_strangers(
    api, client_for, citizen, other_citizen
):
    private = file_report(citizen, slug="comportement-dangereux")
    assert api.get(f"{URL}{private.pk}/").status_code == 404
    assert client_for(other_citizen).get(f"{URL}{private.pk}/").status_code == 404


def test_the_reporter_and_the_direction_see_a_private_report(client_for, citizen, moderator):
    private = file_report(citizen, slug="comportement-dangereux")
    assert client_for(citizen).get(f"{URL}{private.pk}/").status_code == 200
    # The moderator manages nm-developpement-durable, where this category goes.
    assert client_for(moderator).get(f"{URL}{private.pk}/").status_code == 200


def test_no_email_or_phone_is_ever_shown(api, citizen):
    report = file_report(citizen)
    text = api.get(f"{URL}{report.pk}/").content.decode()
    assert citizen.email not in text
    assert "email" not in text
    assert "phone" not in text
    assert api.get(f"{URL}{report.pk}/").json()["reporter_name"] == "Camille M."


def test_an_anonymous_report_shows_no_name(api, citizen):
    report = file_report(citizen, anonymous=True)
    body = api.get(f"{URL}{report.pk}/").json()
    assert body["reporter_name"] is None
    assert "Camille" not in str(body)
    assert "Martin" not in str(body)


def test_it_filters_by_category_theme_status_and_commune(api, citizen):
    leak = file_report(citizen, slug="fuite-d-eau")
    road = file_report(citizen)
    since = {"created_since": leak.created_at.isoformat()}
    assert _ids(api.get(URL, {**since, "category": leak.category_id})) == {leak.pk}
    assert _ids(api.get(URL, {**since, "theme": "eau"})) == {leak.pk}
    assert _ids(api.get(URL, {**since, "theme": road.category.theme_id})) == {road.pk}
    Signalement.objects.filter(pk=road.pk).update(status="resolu")
    assert _ids(api.get(URL, {**since, "status": "resolu"})) == {road.pk}
    assert _ids(api.get(URL, {**since, "commune": "30189"})) == {leak.pk, road.pk}
    assert _ids(api.get(URL, {**since, "commune": "30156"})) == set()


def test_it_filters_by_a_bounding_box(api, citizen):
    near = file_report(citizen)
    far = file_report(citizen, at=(43.80, 4.44))
    since = {"created_since": near.created_at.isoformat()}
    ids = _ids(api.get(URL, {**since, "in_bbox": "4.35,43.83,4.37,43.84"}))
    assert ids == {near.pk}
    assert far.pk not in ids


def test_it_filters_by_a_point_and_a_radius_in_metres(api, citizen):
    centre = file_report(citizen)
    # About 330 m north of the Maison Carrée.
    close = file_report(citizen, at=(43.8397, 4.3601))
    since = {"created_since": centre.created_at.isoformat()}
    around = {"latitude": 43.8367, "longitude": 4.3601}
    assert _ids(api.get(URL, {**since, **around, "radius": 100})) == {centre.pk}
    assert _ids(api.get(URL, {**since, **around, "radius": 500})) == {centre.pk, close.pk}


def test_a_radius_without_a_point_is_a_400(api):
    response = api.get(URL, {"radius": 100})
    assert response.status_code == 400
    assert "radius" in response.json()["fields"]


def test_a_bad_status_is_a_400_naming_the_field(api):
    response = api.get(URL, {"status": "perdu"})
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_the_list_is_paginated_with_a_cursor(api):
    first = api.get(URL, {"page_size": 5}).json()
    assert len(first["results"]) == 5
    assert "cursor=" in first["next"]
    second = api.get(first["next"]).json()
    assert not {item["id"] for item in first["results"]} & {
        item["id"] for item in second["results"]
    }
