"""Every screen of a report says what the viewer is to it: following, mine, can_reopen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signalements import services
from signalements.models import Follow, Photo, Signalement, Status
from tests.signalements.factories import NIMES, SAINT_GILLES, category, file_report

pytestmark = pytest.mark.django_db
STATE = ("following", "mine", "can_reopen")


def _resolved(report: Signalement, days_ago: int = 0) -> Signalement:
    for status in (Status.ACKNOWLEDGED, Status.RESOLVED):
        services.signalement_transition(signalement=report, status=status, external=True)
    if days_ago:
        Signalement.objects.filter(pk=report.pk).update(
            resolved_at=timezone.now() - timedelta(days=days_ago)
        )
    return report


def _state(item: dict) -> tuple[bool, bool, bool]:
    return tuple(item[name] for name in STATE)


def _screens(client, report: Signalement) -> dict[str, dict]:
    """The report as each public screen shows it."""
    since = {"created_since": report.created_at.isoformat()}
    nearby = {
        "latitude": report.location.y,
        "longitude": report.location.x,
        "category": report.category_id,
    }
    return {
        "detail": client.get(f"/api/v1/signalements/{report.pk}/").json(),
        "list": next(
            item
            for item in client.get("/api/v1/signalements/", since).json()["results"]
            if item["id"] == report.pk
        ),
        "nearby": next(
            item
            for item in client.get("/api/v1/signalements/nearby/", nearby).json()["results"]
            if item["id"] == report.pk
        ),
    }


def test_an_anonymous_viewer_gets_false_everywhere(api, citizen):
    report = file_report(citizen)
    Follow.objects.create(signalement=report, user=citizen)
    for screen, item in _screens(api, report).items():
        assert _state(item) == (False, False, False), screen


def test_the_reporter_sees_the_report_is_theirs(client_for, citizen):
    report = file_report(citizen)
    client = client_for(citizen)
    for screen, item in _screens(client, report).items():
        assert _state(item) == (False, True, False), screen
    [mine] = [
        item
        for item in client.get("/api/v1/me/signalements/").json()["results"]
        if item["id"] == report.pk
    ]
    assert _state(mine) == (False, True, False)


def test_a_supporter_sees_they_follow_until_they_stop(client_for, citizen, other_citizen):
    report = file_report(citizen)
    client = client_for(other_citizen)
    client.post(f"/api/v1/signalements/{report.pk}/follow/")
    for screen, item in _screens(client, report).items():
        assert _state(item) == (True, False, False), screen
    client.delete(f"/api/v1/signalements/{report.pk}/follow/")
    assert _state(_screens(client, report)["detail"]) == (False, False, False)


def test_a_resolved_report_can_be_reopened_by_its_reporter_only(client_for, citizen, other_citizen):
    report = _resolved(file_report(citizen))
    url = f"/api/v1/signalements/{report.pk}/"
    assert client_for(citizen).get(url).json()["can_reopen"] is True
    assert client_for(other_citizen).get(url).json()["can_reopen"] is False
    [item] = [
        item
        for item in client_for(citizen).get("/api/v1/me/signalements/").json()["results"]
        if item["id"] == report.pk
    ]
    assert item["can_reopen"] is True


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("new", False),
        ("resolved today", True),
        ("resolved 29 days ago", True),
        ("resolved 31 days ago", False),
        ("closed", False),
        ("filed by its own staff", False),
    ],
)
def test_can_reopen_says_what_the_reopen_service_then_does(
    client_for, citizen, agent_voirie, scenario, expected
):
    reporter = citizen
    if scenario == "filed by its own staff":
        reporter = agent_voirie
        report = _resolved(file_report(agent_voirie, at=SAINT_GILLES))
        assert Signalement.objects.staffed_by(agent_voirie).filter(pk=report.pk).exists()
    elif scenario == "new":
        report = file_report(citizen)
    elif scenario == "closed":
        report = _resolved(file_report(citizen))
        services.signalement_transition(signalement=report, status=Status.CLOSED, external=True)
    else:
        days = {"resolved today": 0, "resolved 29 days ago": 29, "resolved 31 days ago": 31}
        report = _resolved(file_report(citizen), days_ago=days[scenario])
    client = client_for(reporter)

    shown = client.get(f"/api/v1/signalements/{report.pk}/").json()["can_reopen"]
    reopened = client.post(f"/api/v1/signalements/{report.pk}/reopen/", {}, format="json")

    assert shown is expected
    assert (reopened.status_code == 200) is expected, reopened.json()
    if expected:
        assert reopened.json()["can_reopen"] is False


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.fixture
def followed_reports(citizen, other_citizen) -> list[Signalement]:
    """Twenty reports of the citizen, half of them resolved, each with a photo and a follower."""
    reports = []
    for index in range(20):
        report = file_report(citizen, anonymous=index % 2 == 0)
        if index % 2:
            _resolved(report)
        Photo.objects.create(signalement=report, position=0)
        Follow.objects.create(signalement=report, user=other_citizen)
        reports.append(report)
    return reports


@pytest.mark.parametrize("viewer", ["citizen", "other_citizen"])
def test_the_state_costs_no_query_per_report(client_for, request, followed_reports, viewer):
    client = client_for(request.getfixturevalue(viewer))
    since = {"created_since": followed_reports[0].created_at.isoformat()}
    url = "/api/v1/signalements/"
    assert _queries(client, url, {**since, "page_size": 2}) == _queries(
        client, url, {**since, "page_size": 20}
    )
    nearby = {
        "latitude": NIMES[0],
        "longitude": NIMES[1],
        "category": category("chaussee-degradee").pk,
    }
    url = "/api/v1/signalements/nearby/"
    # The first distance query reads the spatial reference once per connection.
    assert len(client.get(url, {**nearby, "page_size": 20}).json()["results"]) >= 10
    assert _queries(client, url, {**nearby, "page_size": 2}) == _queries(
        client, url, {**nearby, "page_size": 20}
    )


def test_my_list_costs_no_query_per_report(client_for, citizen, followed_reports):
    client = client_for(citizen)
    url = "/api/v1/me/signalements/"
    assert _queries(client, url, {"page_size": 2}) == _queries(client, url, {"page_size": 20})
