"""Organisations and their directions are named by their slug, in paths and in answers."""

from __future__ import annotations

import pytest

from backend.models import Organisation

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations/"


def test_an_organisation_is_read_at_its_slug(api):
    response = api.get(f"{URL}nimes-metropole/")

    assert response.status_code == 200
    assert response.json()["slug"] == "nimes-metropole"


def test_its_numeric_id_is_no_path(api):
    organisation = Organisation.objects.get(slug="nimes-metropole")

    assert api.get(f"{URL}{organisation.pk}/").status_code == 404


def test_the_charter_and_the_organisation_share_one_identifier(api):
    detail = api.get(f"{URL}nimes-metropole/")
    charter = api.get(f"{URL}{detail.json()['slug']}/charter/")

    assert charter.status_code == 200


def test_references_are_slugs_and_no_id_is_shown(api):
    commune = Organisation.objects.filter(parent__isnull=False).select_related("parent").first()

    body = api.get(f"{URL}{commune.slug}/").json()
    agglomeration = api.get(f"{URL}nimes-metropole/").json()

    assert body["parent"] == commune.parent.slug
    assert "id" not in body
    direction = agglomeration["directions"][0]
    assert direction["organisation"] == "nimes-metropole"
    assert "id" not in direction
    assert direction["slug"]


def test_an_unknown_slug_is_a_404(api):
    assert api.get(f"{URL}nulle-part/").status_code == 404
