"""jurisdiction_id: optional on this single-jurisdiction endpoint; an unknown one is a 404."""

from __future__ import annotations

import pytest

from tests.open311.helpers import FORMATS, NIMES_FORM, assert_error, get, post

pytestmark = pytest.mark.django_db
# The slug of the territory's agglomeration, as /api/v1/organisations/ shows it.
KNOWN = "nimes-metropole"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "endpoint", ["services", "services/chaussee-degradee", "requests", "servicerequestupdates"]
)
def test_an_unknown_jurisdiction_is_a_404_on_every_read(api, fmt, endpoint):
    response = get(api, endpoint, fmt, jurisdiction_id="paris.fr")

    assert "jurisdiction_id" in assert_error(response, fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_jurisdiction_is_a_404_when_filing(api, fmt, client_key):
    form = {**NIMES_FORM, "api_key": client_key, "jurisdiction_id": "paris.fr"}

    response = post(api, "requests", fmt, form)

    assert "jurisdiction_id" in assert_error(response, fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_territory_s_jurisdiction_is_served(api, fmt, client_key):
    assert get(api, "services", fmt, jurisdiction_id=KNOWN).status_code == 200
    form = {**NIMES_FORM, "api_key": client_key, "jurisdiction_id": KNOWN}
    assert post(api, "requests", fmt, form).status_code == 200


def test_a_commune_is_not_a_jurisdiction_of_its_own(api):
    response = get(api, "services", "json", jurisdiction_id="commune-30189")

    assert_error(response, "json", 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_jurisdiction_the_territory_is_meant(api, fmt):
    assert get(api, "services", fmt).status_code == 200
