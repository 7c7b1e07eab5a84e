from __future__ import annotations

import pytest

from geo.models import Commune

URL = "/api/v1/communes/locate/"
pytestmark = pytest.mark.django_db


def test_a_point_in_nimes_is_nimes(api):
    response = api.get(URL, {"latitude": 43.8367, "longitude": 4.3601})
    assert response.status_code == 200
    assert response.json()["insee_code"] == "30189"
    assert response.json()["name"] == "Nîmes"


def test_paris_is_outside_the_territory(api):
    response = api.get(URL, {"latitude": 48.8566, "longitude": 2.3522})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["detail"] == "Ce lieu est hors du territoire de Nîmes Métropole."


def test_outside_in_english(api):
    response = api.get(URL, {"latitude": 48.8566, "longitude": 2.3522}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "This place is outside the territory of Nîmes Métropole."


def test_a_point_on_a_shared_border_goes_to_the_lowest_insee_code(api):
    nimes = Commune.objects.get(insee_code="30189")
    caissargues = Commune.objects.get(insee_code="30060")
    border = nimes.geometry.intersection(caissargues.geometry)
    assert not border.empty
    lon, lat = border.coords[0] if border.geom_type == "Point" else border[0].coords[0]
    response = api.get(URL, {"latitude": lat, "longitude": lon})
    assert response.status_code == 200
    assert response.json()["insee_code"] == "30060"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"latitude": "abc", "longitude": 4.36}, "latitude"),
        ({"latitude": 43.8}, "longitude"),
        ({"latitude": 91, "longitude": 4.36}, "latitude"),
        ({"latitude": 43.8, "longitude": -181}, "longitude"),
        ({"latitude": "nan", "longitude": 4.36}, "latitude"),
        ({"latitude": "", "longitude": ""}, "latitude"),
    ],
)
def test_bad_coordinates_are_a_400_naming_the_field(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]
