"""The embedded database (SpatiaLite) takes overlapping writes: none fails "database is locked"."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from push import outbox
from push import services as push_services
from push.models import Kind, Notification
from signalements.models import Signalement, Status
from tests.signalements.factories import NIMES, category, file_report

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL has row locks and no database lock"
)
THREADS = 6
EACH = 5


def _together(*jobs) -> list[BaseException]:
    """Run the jobs in threads released at the same instant; the errors they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_the_database_keeps_a_write_ahead_log(committed_db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_citizens_filing_at_once_while_the_worker_delivers_all_succeed(
    committed_db, citizen, other_citizen, agent_voirie
):
    before = Signalement.objects.count()
    statuses: list[int] = []
    report = file_report(citizen, at=(43.67861, 4.43167))

    def file_reports(user) -> None:
        client = APIClient()
        client.force_authenticate(user)
        for index in range(EACH):
            data = {
                "category": category("chaussee-degradee").pk,
                "description": f"{user.pk}-{index}",
                "latitude": NIMES[0],
                "longitude": NIMES[1],
            }
            response = client.post("/api/v1/signalements/", data, format="json")
            statuses.append(response.status_code)
            assert response.status_code == 201, response.content[:300]

    def notify_and_deliver() -> None:
        for index in range(EACH):
            push_services.notify(
                users=[citizen, other_citizen],
                kind=Kind.MY_REPORTS,
                title={"fr": f"Message {index}"},
                body={"fr": "..."},
            )
            outbox.deliver_due()

    def transition() -> None:
        client = APIClient()
        client.force_authenticate(agent_voirie)
        response = client.post(
            f"/api/v1/agent/signalements/{report.pk}/transition/", {"status": "pris_en_compte"}
        )
        assert response.status_code == 200, response.content[:300]

    users = [citizen, other_citizen] * (THREADS // 2)
    errors = _together(
        *[lambda user=user: file_reports(user) for user in users], notify_and_deliver, transition
    )

    assert errors == []
    assert statuses == [201] * THREADS * EACH
    assert Signalement.objects.count() == before + 1 + THREADS * EACH
    assert Notification.objects.filter(title_fr__startswith="Message").count() == 2 * EACH
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
