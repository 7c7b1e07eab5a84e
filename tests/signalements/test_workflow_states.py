"""The workflow's states are the one definition others read: Open311, duplicates, who moves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from push.models import Notification
from signalements import services, workflow
from signalements.models import OPEN_STATUSES, SignalementEvent, Status
from signalements.open311 import services as open311
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db


def test_every_status_is_a_state_of_the_workflow():
    assert set(workflow.STATES) == set(Status.values)


@pytest.mark.parametrize("status", Status.values)
def test_open311_says_open_exactly_for_the_open_states(status):
    expected = "open" if workflow.STATES[status].is_open else "closed"
    assert open311.open311_status(status) == expected
    assert (status in OPEN_STATUSES) == workflow.is_open(status)


def test_every_word_a_city_system_may_push_names_a_state():
    assert {status for status, _reason in open311.INCOMING_STATUSES.values()} <= set(
        workflow.STATES
    )


@pytest.mark.parametrize("status", Status.values)
def test_every_state_has_a_word_for_open311(status):
    word = open311.update_word(status=status, reject_reason="non_fonde")
    assert word in open311.INCOMING_STATUSES


def test_someone_neither_in_charge_nor_the_reporter_cannot_move_a_report(
    citizen, other_citizen, agent_eau
):
    road = file_report(citizen, at=SAINT_GILLES)
    for stranger in (other_citizen, agent_eau):
        with pytest.raises(PermissionDenied):
            services.signalement_transition(
                signalement=road, actor=stranger, status=Status.ACKNOWLEDGED
            )
    road.refresh_from_db()
    assert road.status == Status.NEW


def test_a_duplicate_is_a_move_of_the_workflow_with_its_effects(
    citizen, other_citizen, agent_voirie, manager_voirie
):
    original = file_report(citizen, at=SAINT_GILLES)
    copy = file_report(other_citizen, at=SAINT_GILLES)
    services.signalement_assign(signalement=copy, actor=manager_voirie, agent=agent_voirie)
    Notification.objects.all().delete()

    services.signalement_mark_duplicate(signalement=copy, actor=manager_voirie, original=original)

    copy.refresh_from_db()
    assert (copy.status, copy.reject_reason, copy.duplicate_of_id) == (
        Status.REJECTED,
        "doublon",
        original.pk,
    )
    event = copy.events.get(kind=SignalementEvent.Kind.DUPLICATE)
    assert (event.status, event.author, event.is_public) == (
        Status.REJECTED,
        manager_voirie,
        True,
    )
    told = {(n.user_id, n.kind) for n in Notification.objects.all()}
    assert (other_citizen.pk, "my_reports") in told
    # The agent holding the report hears of it, as for any other move.
    assert (agent_voirie.pk, "staff") in told
