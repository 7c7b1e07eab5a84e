"""Consultation texts in French always, in English where given (Accept-Language: en)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from contributions.models import Consultation, Document, Meeting, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(open_consultation) -> Consultation:
    consultation = open_consultation(
        "bilingue",
        title="Plan vélo",
        title_en="Cycling plan",
        summary="Des pistes partout.",
        summary_en="Cycle lanes everywhere.",
        body="<p>Le texte.</p>",
        body_en="<p>The text.</p>",
    )
    Phase.objects.create(
        consultation=consultation,
        name="Diagnostic",
        name_en="Diagnosis",
        description="Ce qui existe.",
        starts_on=date.today(),
    )
    Phase.objects.create(consultation=consultation, name="Ateliers", starts_on=date.today())
    start = timezone.now() + timedelta(days=2)
    Meeting.objects.create(
        consultation=consultation,
        title="Réunion publique",
        title_en="Public meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    Document.objects.create(
        consultation=consultation,
        title="Dossier",
        title_en="File",
        file=ContentFile(b"%PDF-1.4\n", name="dossier.pdf"),
    )
    return consultation


def _detail(api, language: str | None) -> dict:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return api.get("/api/v1/consultations/bilingue/", **headers).json()


def test_english_readers_get_the_english_texts(api, bilingual):
    detail = _detail(api, "en")
    assert detail["title"] == "Cycling plan"
    assert detail["summary"] == "Cycle lanes everywhere."
    assert detail["body"] == "<p>The text.</p>"
    assert detail["phases"][0]["name"] == "Diagnosis"
    assert detail["meetings"][0]["title"] == "Public meeting"
    assert detail["documents"][0]["title"] == "File"


def test_french_is_the_default_and_the_fallback(api, bilingual):
    for language in (None, "fr", "de"):
        detail = _detail(api, language)
        assert detail["title"] == "Plan vélo"
        assert detail["phases"][0]["name"] == "Diagnostic"
        assert detail["meetings"][0]["title"] == "Réunion publique"
    english = _detail(api, "en")
    # Not translated: the French text, never an empty string.
    assert english["phases"][1]["name"] == "Ateliers"
    assert english["phases"][0]["description"] == "Ce qui existe."


def test_lists_and_the_map_speak_english_too(api, bilingual):
    listed = api.get("/api/v1/consultations/?q=pistes", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [item["title"] for item in listed["results"]] == ["Cycling plan"]
    features = api.get(
        "/api/v1/consultations/map/?format=geojson", HTTP_ACCEPT_LANGUAGE="en"
    ).json()["features"]
    titles = {feature["id"]: feature["properties"]["title"] for feature in features}
    assert titles["bilingue"] == "Cycling plan"


def test_the_english_columns_are_blank_by_default(open_consultation):
    consultation = open_consultation("francais")
    assert (consultation.title_en, consultation.summary_en, consultation.body_en) == ("", "", "")


def test_the_demo_has_a_consultation_in_english(api):
    # The session loads the demo (tests/conftest.py).
    detail = api.get(
        "/api/v1/consultations/plan-de-mobilite-2035/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert detail["title"].startswith("Mobility plan 2035")
    assert "Public launch meeting" in [meeting["title"] for meeting in detail["meetings"]]
    assert detail["phases"][0]["name"] == "Shared diagnosis"


def test_caches_keep_the_languages_apart(api, bilingual):
    response = api.get("/api/v1/consultations/bilingue/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Accept-Language" in response["Vary"]
