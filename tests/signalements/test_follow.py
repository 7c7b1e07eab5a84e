from __future__ import annotations

import pytest

from signalements.models import Follow
from tests.signalements.factories import file_report

URL = "/api/v1/signalements/{}/follow/"
pytestmark = pytest.mark.django_db


def test_a_neighbour_supports_a_report(client_for, citizen, other_citizen):
    report = file_report(citizen)
    response = client_for(other_citizen).post(URL.format(report.pk))
    assert response.status_code == 200
    assert response.json() == {"following": True, "supporters_count": 1}
    assert Follow.objects.filter(signalement=report, user=other_citizen).exists()


def test_supporting_twice_counts_once(client_for, citizen, other_citizen):
    report = file_report(citizen)
    client = client_for(other_citizen)
    client.post(URL.format(report.pk))
    again = client.post(URL.format(report.pk))
    assert again.status_code == 200
    assert again.json()["supporters_count"] == 1


def test_the_count_of_supporters_is_public(api, client_for, citizen, other_citizen, agent_eau):
    report = file_report(citizen)
    client_for(other_citizen).post(URL.format(report.pk))
    client_for(agent_eau).post(URL.format(report.pk))
    body = api.get(f"/api/v1/signalements/{report.pk}/").json()
    assert body["supporters_count"] == 2
    assert "voisin" not in str(body).lower()


def test_a_supporter_stops_supporting(client_for, citizen, other_citizen):
    report = file_report(citizen)
    client = client_for(other_citizen)
    client.post(URL.format(report.pk))
    response = client.delete(URL.format(report.pk))
    assert response.status_code == 204
    assert response.content == b""
    assert not Follow.objects.filter(signalement=report, user=other_citizen).exists()


def test_the_reporter_cannot_support_their_own_report(client_for, citizen):
    report = file_report(citizen)
    response = client_for(citizen).post(URL.format(report.pk))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_supporting_requires_an_account(api, citizen):
    report = file_report(citizen)
    assert api.post(URL.format(report.pk)).status_code == 401


def test_a_private_report_cannot_be_supported_by_a_stranger(client_for, citizen, other_citizen):
    report = file_report(citizen, slug="comportement-dangereux")
    assert client_for(other_citizen).post(URL.format(report.pk)).status_code == 404


def test_the_schema_documents_exactly_what_follow_answers():
    import yaml
    from django.test import Client

    document = yaml.safe_load(Client().get("/api/schema/").content)
    item = document["paths"]["/api/v1/signalements/{id}/follow/"]
    post = {code for code in item["post"]["responses"] if code.startswith("2")}
    delete = {code for code in item["delete"]["responses"] if code.startswith("2")}
    assert (post, delete) == ({"200"}, {"204"})
    state = item["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = document["components"]["schemas"][state.rsplit("/", 1)[1]]["properties"]
    assert set(properties) == {"following", "supporters_count"}
    assert "content" not in item["delete"]["responses"]["204"]
