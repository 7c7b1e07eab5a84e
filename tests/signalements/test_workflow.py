"""The workflow table: every legal and illegal move, by staff and by the reporter."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from signalements.models import Signalement, SignalementEvent, Status
from signalements.workflow import STAFF_TRANSITIONS
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(citizen):
    return file_report(citizen, at=SAINT_GILLES)


def move(client, report, status, **extra):
    return client.post(
        f"/api/v1/agent/signalements/{report.pk}/transition/", {"status": status, **extra}
    )


def put_in(report: Signalement, status: str) -> None:
    Signalement.objects.filter(pk=report.pk).update(status=status, resolved_at=timezone.now())


CASES = [
    (current, target, target in STAFF_TRANSITIONS[current])
    for current in Status.values
    for target in Status.values
    if target != Status.REOPENED
]


@pytest.mark.parametrize(("current", "target", "legal"), CASES)
def test_staff_moves_follow_the_table(client_for, agent_voirie, report, current, target, legal):
    put_in(report, current)
    extra = {"reject_reason": "non_fonde"} if target == Status.REJECTED else {}
    response = move(client_for(agent_voirie), report, target, **extra)
    if legal:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target
    else:
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        report.refresh_from_db()
        assert report.status == current


def test_a_refusal_says_which_move_is_forbidden_in_english_too(client_for, agent_voirie, report):
    response = client_for(agent_voirie).post(
        f"/api/v1/agent/signalements/{report.pk}/transition/",
        {"status": Status.CLOSED},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "A report cannot go from “New” to “Closed”."


def test_rejecting_needs_a_reason(client_for, agent_voirie, report):
    response = move(client_for(agent_voirie), report, Status.REJECTED)
    assert response.status_code == 400
    assert "reject_reason" in response.json()["fields"]


def test_each_transition_records_who_when_and_the_messages(client_for, agent_voirie, report):
    move(
        client_for(agent_voirie),
        report,
        Status.ACKNOWLEDGED,
        public_message="Nous passons demain.",
        internal_note="Équipe B",
    )
    event = SignalementEvent.objects.filter(signalement=report).latest("id")
    assert (event.author, event.status) == (agent_voirie, Status.ACKNOWLEDGED)
    assert (event.message, event.internal_note) == ("Nous passons demain.", "Équipe B")
    report.refresh_from_db()
    assert report.acknowledged_at is not None


def test_the_reporter_reopens_within_30_days(client_for, citizen, report):
    put_in(report, Status.RESOLVED)
    response = client_for(citizen).post(f"/api/v1/signalements/{report.pk}/reopen/", {})
    assert response.status_code == 200
    assert response.json()["status"] == Status.REOPENED


def test_the_reporter_cannot_reopen_after_30_days(client_for, citizen, report):
    put_in(report, Status.RESOLVED)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client_for(citizen).post(f"/api/v1/signalements/{report.pk}/reopen/", {})
    assert response.status_code == 409


def test_the_reporter_cannot_reopen_an_open_report(client_for, citizen, report):
    assert client_for(citizen).post(f"/api/v1/signalements/{report.pk}/reopen/").status_code == 409


def test_a_stranger_cannot_reopen(client_for, other_citizen, report):
    put_in(report, Status.RESOLVED)
    response = client_for(other_citizen).post(f"/api/v1/signalements/{report.pk}/reopen/")
    assert response.status_code == 404
