from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from signalements.models import Category, Theme

URL = "/api/v1/categories/"
pytestmark = pytest.mark.django_db


def test_it_lists_the_active_categories_with_their_questions(api):
    response = api.get(URL)
    assert response.status_code == 200
    by_slug = {item["slug"]: item for item in response.json()}
    leak = by_slug["fuite-d-eau"]
    assert leak["name"] == "Fuite d'eau"
    assert leak["theme"] == "eau"
    assert leak["competence"] == "agglomeration"
    assert leak["default_direction"] == "nm-eau"
    assert leak["duplicate_radius_m"] == 50
    assert leak["hours_to_acknowledge"] == 4
    question = leak["questions"][0]
    assert question["code"] == "emplacement"
    assert question["datatype"] == "singlevaluelist"
    assert question["required"] is True
    assert {"key": "compteur", "name": "Au compteur"} in question["values"]
    assert by_slug["eclairage-public-en-panne"]["competence"] == "commune"
    assert by_slug["comportement-dangereux"]["is_public"] is False
    assert by_slug["depot-sauvage"]["photo_required"] is True


def test_inactive_categories_are_left_out_of_the_full_list(api):
    Category.objects.filter(slug="abribus-degrade").update(is_active=False)
    slugs = {item["slug"] for item in api.get(URL).json()}
    assert "abribus-degrade" not in slugs
    assert "fuite-d-eau" in slugs


def test_updated_since_returns_only_what_changed_including_deactivations(api):
    before = timezone.now() - timedelta(seconds=1)
    Category.objects.update(updated_at=before - timedelta(days=1))
    retired = Category.objects.get(slug="abribus-degrade")
    retired.is_active = False
    retired.save()

    response = api.get(URL, {"updated_since": before.isoformat()})

    assert response.status_code == 200
    assert [(item["slug"], item["is_active"]) for item in response.json()] == [
        ("abribus-degrade", False)
    ]


def test_a_bad_updated_since_is_a_400_naming_the_field(api):
    response = api.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["fields"]


def test_themes_are_listed_and_filtered_the_same_way(api):
    slugs = [item["slug"] for item in api.get("/api/v1/themes/").json()]
    assert slugs[:3] == ["voirie", "eau", "dechets"]
    Theme.objects.update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get("/api/v1/themes/", {"updated_since": since}).json() == []


def test_a_theme_of_reports_is_named_by_its_slug(api):
    theme = Theme.objects.get(slug="voirie")
    response = api.get("/api/v1/themes/voirie/")
    assert response.status_code == 200
    assert response.json()["slug"] == "voirie"
    assert api.get(f"/api/v1/themes/{theme.pk}/").status_code == 404
