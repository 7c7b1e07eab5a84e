"""Two agents moving the same report at once: exactly one wins, the other gets 409.

On PostgreSQL through row locks, on SpatiaLite through IMMEDIATE transactions (with
SQLite's default deferred ones the loser got 503 "database is locked").
"""

from __future__ import annotations

import threading

from django.db import connections
from rest_framework.test import APIClient

from signalements.models import SignalementEvent, Status
from tests.signalements.factories import file_report


def test_two_agents_acknowledging_at_once_make_one_step(
    committed_db, citizen, agent_voirie, manager_voirie
):
    report = file_report(citizen, at=(43.67861, 4.43167))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def act(user) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        response = client.post(
            f"/api/v1/agent/signalements/{report.pk}/transition/", {"status": "pris_en_compte"}
        )
        statuses.append(response.status_code)
        connections.close_all()

    threads = [
        threading.Thread(target=act, args=(user,)) for user in (agent_voirie, manager_voirie)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert (
        SignalementEvent.objects.filter(signalement=report, status=Status.ACKNOWLEDGED).count() == 1
    )
