"""Thin tasks around the services, for a worker or a timer."""

from __future__ import annotations

from django.tasks import task

from contributions.services.consultations import consultation_open_due


@task()
def open_due_consultations() -> int:
    """Announce the consultations whose opening date has arrived (idempotent)."""
    return consultation_open_due()
