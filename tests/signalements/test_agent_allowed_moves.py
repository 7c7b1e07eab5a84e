"""The agent's report lists the moves the workflow allows now; the queue lists the open ones."""

from __future__ import annotations

import pytest

from signalements.models import OPEN_STATUSES, Signalement
from signalements.workflow import STAFF_TRANSITIONS

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


def test_the_detail_lists_the_moves_the_workflow_allows_from_its_status(client_for, agent_voirie):
    client = client_for(agent_voirie)
    report = Signalement.objects.staffed_by(agent_voirie).filter(status="nouveau").first()
    body = client.get(f"{QUEUE}{report.pk}/").json()
    assert body["allowed_statuses"] == sorted(STAFF_TRANSITIONS["nouveau"])
    client.post(f"{QUEUE}{report.pk}/transition/", {"status": "pris_en_compte"})
    body = client.get(f"{QUEUE}{report.pk}/").json()
    assert body["allowed_statuses"] == sorted(STAFF_TRANSITIONS["pris_en_compte"])
    for status in body["allowed_statuses"]:
        assert status != "pris_en_compte"


def test_open_lists_the_reports_still_to_handle(client_for, agent_voirie):
    client = client_for(agent_voirie)
    statuses = {item["status"] for item in client.get(QUEUE, {"open": "true"}).json()["results"]}
    assert statuses and statuses <= set(OPEN_STATUSES)
    closed = {item["status"] for item in client.get(QUEUE, {"open": "false"}).json()["results"]}
    assert not closed & set(OPEN_STATUSES)
