"""Thin tasks around the services, for a worker or a timer."""

from __future__ import annotations

from django.tasks import task

from contributions import services


@task()
def open_due_consultations() -> int:
    """Announce the consultations whose opening date has arrived (idempotent)."""
    return services.consultation_open_due()
