from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from push import outbox
from signalements import services
from signalements.models import Signalement
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


def test_due_dates_come_from_the_category_targets(citizen):
    road = file_report(citizen, at=SAINT_GILLES)
    category = road.category
    assert road.acknowledge_due_at - road.created_at == timedelta(
        hours=category.hours_to_acknowledge
    )
    assert road.resolve_due_at - road.created_at == timedelta(days=category.days_to_resolve)


def test_overdue_reports_are_flagged_and_filtered(client_for, agent_voirie, citizen):
    road = file_report(citizen, at=SAINT_GILLES)
    client = client_for(agent_voirie)
    assert client.get(f"{QUEUE}{road.pk}/").json()["overdue"] is False
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        assert client.get(f"{QUEUE}{road.pk}/").json()["overdue"] is True
        late = {item["id"] for item in client.get(QUEUE, {"overdue": "true"}).json()["results"]}
        assert road.pk in late


def test_the_daily_summary_emails_each_manager_once(citizen, manager_voirie):
    file_report(citizen, at=SAINT_GILLES)
    Signalement.objects.update(resolve_due_at=timezone.now() - timedelta(days=1))
    services.overdue_summary_send()
    services.overdue_summary_send()
    outbox.deliver_due()
    sent = [m for m in mail.outbox if manager_voirie.email in m.to]
    assert len(sent) == 1
    assert "retard" in sent[0].subject
