"""A service whose category requires a photo says so in its definition, and a request
without one is refused naming media_url, the spec's own parameter."""

from __future__ import annotations

import pytest

from signalements.models import Category
from signalements.open311.models import Open311Request
from tests.open311.helpers import FORMATS, assert_error, body, get, post
from tests.signalements.factories import NIMES

pytestmark = pytest.mark.django_db
PHOTO = "https://images.example.test/depot.jpg"


def _form(key: str, **extra: object) -> dict[str, object]:
    return {
        "api_key": key,
        "service_code": "depot-sauvage",
        "lat": NIMES[0],
        "long": NIMES[1],
        "description": "Des gravats sur le trottoir.",
        **extra,
    }


@pytest.fixture(autouse=True)
def _requires_a_photo():
    assert Category.objects.get(slug="depot-sauvage").photo_required


@pytest.mark.parametrize("fmt", FORMATS)
def test_its_definition_has_a_required_media_url_attribute(api, fmt):
    definition = body(get(api, "services/depot-sauvage", fmt), fmt)

    photo = next(a for a in definition["attributes"] if a["code"] == "media_url")
    assert photo["required"] == "true"
    assert photo["variable"] == "true"
    assert photo["datatype"] == "string"
    assert "media_url" in photo["description"]
    assert set(photo) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_service_list_says_it_has_metadata(api, fmt):
    services = body(get(api, "services", fmt), fmt)

    assert next(s for s in services if s["service_code"] == "depot-sauvage")["metadata"] == "true"


def test_a_service_without_photo_rule_has_no_such_attribute(api):
    definition = get(api, "services/chaussee-degradee", "json").json()

    assert all(a["code"] != "media_url" for a in definition["attributes"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_media_url_the_error_names_it(api, fmt, client_key):
    description = assert_error(post(api, "requests", fmt, _form(client_key)), fmt, 400)

    assert "media_url" in description
    assert "photos" not in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_with_media_url_the_report_is_filed(api, fmt, client_key):
    response = post(api, "requests", fmt, _form(client_key, media_url=PHOTO))

    assert response.status_code == 200, response.content
    [answer] = body(response, fmt)
    stored = Open311Request.objects.get(signalement_id=answer["service_request_id"])
    assert stored.media_url == PHOTO


def test_the_attribute_form_is_read_as_media_url(api, client_key):
    response = post(api, "requests", "json", _form(client_key, **{"attribute[media_url]": PHOTO}))

    assert response.status_code == 200, response.content
    stored = Open311Request.objects.get(signalement_id=response.json()[0]["service_request_id"])
    assert stored.media_url == PHOTO


def test_the_app_still_requires_an_uploaded_photo(client_for, citizen):
    response = client_for(citizen).post(
        "/api/v1/signalements/",
        {
            "category": Category.objects.get(slug="depot-sauvage").pk,
            "latitude": NIMES[0],
            "longitude": NIMES[1],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "photos" in response.json()["fields"]
