"""The service list and the service definitions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from signalements.models import Category, Question
from tests.open311.helpers import FORMATS, assert_error, body, get, parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_lists_active_public_categories(api, fmt):
    response = get(api, "services", fmt)

    assert response.status_code == 200
    services = body(response, fmt)
    codes = [service["service_code"] for service in services]
    expected = Category.objects.filter(is_active=True, is_public=True).values_list(
        "slug", flat=True
    )
    assert sorted(codes) == sorted(expected)
    pothole = next(s for s in services if s["service_code"] == "chaussee-degradee")
    assert pothole["service_name"] == "Chaussée dégradée / nid-de-poule"
    assert pothole["metadata"] == "true"
    assert pothole["type"] == "realtime"
    assert pothole["group"] == "Voirie et éclairage"
    assert "voirie" in pothole["keywords"]
    green = next(s for s in services if s["service_code"] == "espace-vert-mal-entretenu")
    assert green["metadata"] == "false"


def test_the_xml_uses_the_spec_element_names(api):
    parsed = parse(get(api, "services", "xml"), "xml")

    assert parsed["root"] == "services"
    assert set(parsed["body"][0]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_never_lists_a_private_or_inactive_category(api, fmt):
    Category.objects.filter(slug="abribus-degrade").update(is_active=False)

    codes = [s["service_code"] for s in body(get(api, "services", fmt), fmt)]

    assert "comportement-dangereux" not in codes
    assert "abribus-degrade" not in codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_defines_a_service_from_the_category_questions(api, fmt):
    Question.objects.filter(category__slug="chaussee-degradee", code="taille").update(
        datatype_description="en cm", order=3
    )

    response = get(api, "services/chaussee-degradee", fmt)

    assert response.status_code == 200
    definition = body(response, fmt)
    assert definition["service_code"] == "chaussee-degradee"
    [attribute] = definition["attributes"]
    assert attribute == {
        "variable": "true",
        "code": "taille",
        "datatype": "singlevaluelist",
        "required": "false",
        "datatype_description": "en cm",
        "order": "3",
        "description": "Quelle est la taille du trou ?",
        "values": [
            {"key": "petit", "name": "Moins de 20 cm"},
            {"key": "moyen", "name": "De 20 à 50 cm"},
            {"key": "grand", "name": "Plus de 50 cm"},
        ],
    }


def test_the_definition_xml_nests_values_as_the_spec_says(api):
    root = ET.fromstring(get(api, "services/chaussee-degradee", "xml").content)

    assert root.tag == "service_definition"
    keys = [key.text for key in root.findall("./attributes/attribute/values/value/key")]
    assert keys == ["petit", "moyen", "grand"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_category_without_questions_has_no_attributes(api, fmt):
    definition = body(get(api, "services/espace-vert-mal-entretenu", fmt), fmt)

    assert definition["attributes"] == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["inconnu", "comportement-dangereux"])
def test_an_unknown_or_private_service_is_not_found(api, fmt, code):
    assert_error(get(api, f"services/{code}", fmt), fmt, 404)
