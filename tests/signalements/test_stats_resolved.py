"""The figures count a report as resolved by its status, as a resident reads it."""

from __future__ import annotations

import pytest

from signalements import services
from signalements.models import Signalement, Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/signalements/"


def test_resolved_is_what_the_statuses_say_on_the_demo_data(api):
    body = api.get(URL).json()
    by_status = body["by_status"]

    assert by_status[Status.RESOLVED] > 0, "the demo holds resolved reports"
    assert body["resolved"] == by_status[Status.RESOLVED] + by_status[Status.CLOSED]
    assert sum(by_status.values()) == body["total"]


def test_the_demo_reports_carry_the_dates_their_timelines_show(api):
    body = api.get(URL).json()
    assert body["hours_to_acknowledge"]["median"] is not None
    assert body["hours_to_resolve"]["median"] is not None
    assert 0 <= body["resolved_within_target_share"] <= 1
    resolved = Signalement.objects.filter(status=Status.RESOLVED).first()
    step = resolved.events.filter(status=Status.RESOLVED).get()
    assert resolved.resolved_at == step.created_at


def test_a_report_resolved_then_closed_still_counts(api, citizen, agent_voirie):
    Signalement.objects.all().delete()
    report = file_report(citizen, at=SAINT_GILLES)
    for status in (Status.ACKNOWLEDGED, Status.RESOLVED, Status.CLOSED):
        services.signalement_transition(signalement=report, actor=agent_voirie, status=status)
    file_report(citizen, at=SAINT_GILLES)

    body = api.get(URL).json()

    assert body["by_status"][Status.CLOSED] == 1
    assert body["resolved"] == 1
    assert body["total"] == 2


def test_rejected_and_reopened_reports_are_not_resolved(api, citizen, agent_voirie):
    Signalement.objects.all().delete()
    rejected = file_report(citizen, at=SAINT_GILLES)
    services.signalement_transition(
        signalement=rejected, actor=agent_voirie, status=Status.REJECTED, reject_reason="non_fonde"
    )
    reopened = file_report(citizen, at=SAINT_GILLES)
    for status in (Status.ACKNOWLEDGED, Status.RESOLVED):
        services.signalement_transition(signalement=reopened, actor=agent_voirie, status=status)
    services.signalement_transition(signalement=reopened, actor=citizen, status=Status.REOPENED)

    assert api.get(URL).json()["resolved"] == 0


def test_the_schema_documents_each_figure(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/stats/signalements/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]

    properties = component["properties"]
    for name in (
        "total",
        "by_status",
        "hours_to_acknowledge",
        "hours_to_resolve",
        "resolved",
        "resolved_within_target_share",
        "computed_at",
    ):
        assert name in properties, name
    assert "clos" in properties["resolved"]["description"]
    assert properties["computed_at"]["format"] == "date-time"
