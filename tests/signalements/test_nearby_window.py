"""Reports nearby come as one page, and every limit of the search is a stated query parameter."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.test import Client
from django.utils import timezone

from signalements.models import Category, Signalement
from tests.signalements.factories import category, file_report

URL = "/api/v1/signalements/nearby/"
pytestmark = pytest.mark.django_db

HERE = (43.8500, 4.3300)  # a quiet corner of Nîmes, as in test_nearby
CLOSE = (43.8502, 4.3300)  # ≈ 22 m
OUTSIDE = (43.8510, 4.3300)  # ≈ 111 m


def _query(**extra: object) -> dict:
    return {
        "latitude": HERE[0],
        "longitude": HERE[1],
        "category": category("depot-sauvage").pk,
        **extra,
    }


def _file(citizen, at=CLOSE, days_ago: int = 0) -> Signalement:
    Category.objects.filter(slug="depot-sauvage").update(photo_required=False)
    report = file_report(citizen, slug="depot-sauvage", at=at, answers={})
    if days_ago:
        Signalement.objects.filter(pk=report.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return report


def test_the_answer_is_the_one_page_envelope(api, citizen):
    report = _file(citizen)
    body = api.get(URL, _query()).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    assert [item["id"] for item in body["results"]] == [report.pk]


def test_more_than_twenty_reports_are_paged_not_dropped(api, citizen):
    reports = [_file(citizen) for _ in range(22)]
    first = api.get(URL, _query()).json()
    assert first["count"] == 22
    assert len(first["results"]) == 20
    second = api.get(first["next"]).json()
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert sorted(seen) == sorted(report.pk for report in reports)


def test_days_widens_or_narrows_the_window(api, citizen):
    recent = _file(citizen, days_ago=5)
    old = _file(citizen, days_ago=45)

    def ids(**extra: object) -> set[int]:
        return {item["id"] for item in api.get(URL, _query(**extra)).json()["results"]}

    assert ids() == {recent.pk}
    assert ids(days=60) == {recent.pk, old.pk}
    assert ids(days=3) == set()


def test_radius_widens_the_circle_of_the_category(api, citizen):
    outside = _file(citizen, at=OUTSIDE)
    assert api.get(URL, _query()).json()["count"] == 0
    body = api.get(URL, _query(radius=150)).json()
    assert [item["id"] for item in body["results"]] == [outside.pk]


@pytest.mark.parametrize(
    ("name", "value"), [("days", 0), ("days", 366), ("days", "x"), ("radius", 0), ("radius", 5001)]
)
def test_a_window_out_of_bounds_is_a_400_naming_it(api, name, value):
    response = api.get(URL, _query(**{name: value}))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]


def test_the_schema_states_each_limit_and_its_default():
    document = yaml.safe_load(Client().get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content)
    operation = document["paths"][URL]["get"]
    parameters = {item["name"]: item for item in operation["parameters"]}
    assert "default 30" in parameters["days"]["description"]
    assert parameters["days"]["schema"]["default"] == 30
    assert "duplicate_radius_m" in parameters["radius"]["description"]
    assert "default 20" in parameters["page_size"]["description"]
    assert "page" in parameters
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = document["components"]["schemas"][page.rsplit("/", 1)[1]]
    assert envelope["required"] == ["count", "next", "previous", "results"]
