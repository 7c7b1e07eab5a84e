"""The field service names things as the API shows them: directions by slug, categories by
slug (or id), reports and people by id."""

from __future__ import annotations

import pytest

from backend.models import Direction
from signalements.models import Category
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"
STATS = "/api/v1/stats/signalements/"


@pytest.fixture
def road(citizen):
    return file_report(citizen, at=SAINT_GILLES)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


def test_a_transfer_names_the_direction_by_the_slug_reports_show(client_for, agent_voirie, road):
    client = client_for(agent_voirie)
    shown = client.get(f"{QUEUE}{road.pk}/").json()["direction"]["slug"]
    assert shown == "nm-voirie"

    response = client.post(
        f"{QUEUE}{road.pk}/transfer/", {"direction": "nm-eau", "reason": "Une fuite"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["direction"]["slug"] == "nm-eau"


@pytest.mark.parametrize(
    ("language", "word"), [("fr", "direction inconnue"), ("en", "unknown direction")]
)
def test_a_numeric_direction_is_refused_naming_the_field(
    client_for, agent_voirie, road, language, word
):
    water = Direction.objects.get(slug="nm-eau")

    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/transfer/",
        {"direction": water.pk, "reason": "Une fuite"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert word in response.json()["fields"]["direction"][0].lower()
    road.refresh_from_db()
    assert road.direction.slug == "nm-voirie"


def test_the_queue_filters_by_direction_slug(client_for, manager_voirie, road):
    client = client_for(manager_voirie)

    assert road.pk in ids(client.get(QUEUE, {"direction": "nm-voirie", "page_size": 200}))
    assert road.pk not in ids(client.get(QUEUE, {"direction": "nm-eau", "page_size": 200}))


def test_the_queue_filters_by_category_slug_or_id(client_for, agent_voirie, road):
    client = client_for(agent_voirie)
    category = road.category

    for value in (category.slug, str(category.pk)):
        assert road.pk in ids(client.get(QUEUE, {"category": value, "page_size": 200}))


@pytest.mark.parametrize(
    ("name", "value"),
    [("category", "nid-inconnu"), ("category", "1.5"), ("direction", "nulle-part")],
)
def test_a_filter_naming_nothing_is_a_400_naming_it(client_for, agent_voirie, name, value):
    response = client_for(agent_voirie).get(QUEUE, {name: value}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Unknown" in response.json()["fields"][name][0]


def test_a_direction_s_numeric_id_is_no_filter(client_for, manager_voirie):
    voirie = Direction.objects.get(slug="nm-voirie")

    response = client_for(manager_voirie).get(QUEUE, {"direction": str(voirie.pk)})

    assert response.status_code == 400
    assert "direction" in response.json()["fields"]


def test_the_public_list_filters_by_category_slug_too(api, road):
    response = api.get("/api/v1/signalements/", {"category": road.category.slug, "page_size": 200})

    assert road.pk in ids(response)


def test_a_new_category_is_named_by_its_slug(client_for, agent_voirie, road):
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/category/", {"category": "fuite-d-eau"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["category"]["slug"] == "fuite-d-eau"
    road.refresh_from_db()
    assert road.direction.slug == "nm-eau"


def test_its_id_is_still_accepted(client_for, agent_voirie, road):
    leak = Category.objects.get(slug="fuite-d-eau")

    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/category/", {"category": leak.pk}, format="json"
    )

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    "value", ["nid-inconnu", 999_999_999, "99999999999999999999999", None, [1]]
)
def test_an_unknown_category_is_a_400_naming_it(client_for, agent_voirie, road, value):
    response = client_for(agent_voirie).post(
        f"{QUEUE}{road.pk}/category/", {"category": value}, format="json"
    )

    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_the_figures_filter_by_direction_and_category_slug(api, road):
    everything = api.get(STATS).json()["total"]
    roads = api.get(STATS, {"direction": "nm-voirie"}).json()["total"]
    one_category = api.get(STATS, {"category": road.category.slug}).json()["total"]

    assert 0 < roads < everything
    assert 0 < one_category < everything
    assert api.get(STATS, {"direction": "nulle-part"}).status_code == 400
