"""Categories, themes and questions read in English where an English text is given."""

from __future__ import annotations

import pytest
from django.db import connection

from signalements.models import Category, Question, Theme
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


def _categories(api, language: str) -> dict[str, dict]:
    response = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE=language)
    return {item["slug"]: item for item in response.json()}


def test_english_readers_get_the_english_catalogue(api):
    leak = _categories(api, "en")["fuite-d-eau"]
    assert leak["name"] == "Water leak"
    assert leak["description"] == "Water running onto the street, a leaking meter or pipe."
    [question] = leak["questions"]
    assert question["description"] == "Where is the leak?"
    assert {"key": "compteur", "name": "At the meter"} in question["values"]


def test_french_readers_get_the_french_catalogue(api):
    leak = _categories(api, "fr")["fuite-d-eau"]
    assert leak["name"] == "Fuite d'eau"
    [question] = leak["questions"]
    assert question["description"] == "Où se trouve la fuite ?"
    assert {"key": "compteur", "name": "Au compteur"} in question["values"]


def test_a_text_without_english_reads_in_french(api):
    Category.objects.filter(slug="fuite-d-eau").update(name_en="", description_en="  ")
    question = Question.objects.get(category__slug="fuite-d-eau", code="emplacement")
    question.values = [{"key": "compteur", "name": "Au compteur"}]
    question.description_en = ""
    question.save()
    leak = _categories(api, "en")["fuite-d-eau"]
    assert leak["name"] == "Fuite d'eau"
    assert leak["description"] == Category.objects.get(slug="fuite-d-eau").description
    assert leak["questions"][0]["description"] == "Où se trouve la fuite ?"
    assert leak["questions"][0]["values"] == [{"key": "compteur", "name": "Au compteur"}]


def test_themes_read_in_english_too(api):
    body = api.get("/api/v1/themes/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {item["slug"]: item["name"] for item in body}["eau"] == "Water and sewerage"


def test_every_demo_category_and_question_has_its_english_text():
    for category in Category.objects.filter(slug__in=_demo_slugs()):
        assert category.name_en and category.description_en, category.slug
        for question in category.questions.all():
            assert question.description_en, question.code
            assert all(item.get("name_en") for item in question.values), question.code
    assert all(theme.name_en for theme in Theme.objects.all())


def _demo_slugs() -> list[str]:
    from signalements.demo import CATEGORIES

    return [spec["slug"] for spec in CATEGORIES]


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_reports_category_is_named_in_the_readers_language(api, citizen, fmt):
    if fmt == "geojson" and connection.vendor != "postgresql":
        pytest.skip("the database writes GeoJSON on PostgreSQL only")
    report = file_report(citizen, slug="fuite-d-eau")
    params = {"created_since": report.created_at.isoformat(), "format": fmt}
    for language, name in (("en", "Water leak"), ("fr", "Fuite d'eau")):
        body = api.get("/api/v1/signalements/", params, HTTP_ACCEPT_LANGUAGE=language).json()
        if fmt == "json":
            [item] = body["results"]
            assert item["category"]["name"] == name
        else:
            [feature] = body["features"]
            assert feature["properties"]["category"]["name"] == name
    detail = api.get(f"/api/v1/signalements/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["category"]["name"] == "Water leak"
