"""Thin tasks that wake the delivery worker; the outbox rows are the truth."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from push import outbox


@task()
def deliver() -> int:
    """Send everything due; if retries wait, come back when the first one falls due."""
    total = 0
    while handled := outbox.deliver_due():
        total += handled
    due = outbox.next_due_at()
    if due is not None:
        deliver.using(run_after=max(due, timezone.now())).enqueue()
    return total


@task()
def sync_topics() -> int:
    total = 0
    while handled := outbox.topics_sync():
        total += handled
    return total
