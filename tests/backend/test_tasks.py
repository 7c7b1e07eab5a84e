from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from backend.tasks import flush_expired_tokens
from tests.helpers import manage


def test_a_real_worker_runs_a_task_enqueued_in_the_database(committed_db, citizen):
    now = timezone.now()
    OutstandingToken.objects.create(
        user=citizen,
        jti="old",
        token="x",
        created_at=now - timedelta(days=60),
        expires_at=now - timedelta(days=1),
    )
    OutstandingToken.objects.create(
        user=citizen, jti="new", token="y", created_at=now, expires_at=now + timedelta(days=1)
    )
    result = flush_expired_tokens.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    worker = manage("db_worker", "--batch", "--no-startup-delay")

    assert worker.returncode == 0, worker.stderr
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", worker.stderr
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["new"]
