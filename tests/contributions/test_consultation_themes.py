"""Consultation themes have their own list, by slug: the vocabulary of filters and interests."""

from __future__ import annotations

import pytest

from contributions.models import Theme

pytestmark = pytest.mark.django_db


def test_anyone_lists_the_consultation_themes_by_slug_and_name(api):
    response = api.get("/api/v1/consultation-themes/")
    assert response.status_code == 200
    body = response.json()
    assert {"slug": "transports", "name": "Mobilités et transports"} in body
    assert [item["slug"] for item in body] == list(
        Theme.objects.order_by("name").values_list("slug", flat=True)
    )


def test_a_consultation_theme_is_named_by_its_slug(api):
    response = api.get("/api/v1/consultation-themes/transports/")
    assert response.status_code == 200
    assert response.json() == {"slug": "transports", "name": "Mobilités et transports"}
    assert api.get("/api/v1/consultation-themes/horoscope/").status_code == 404


def test_the_slugs_listed_filter_consultations(api):
    [slug, *_] = [item["slug"] for item in api.get("/api/v1/consultation-themes/").json()]
    assert api.get("/api/v1/consultations/", {"theme": slug}).status_code == 200
