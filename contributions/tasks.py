"""Thin tasks around the services, for a worker or a timer."""

from __future__ import annotations

from django.tasks import task

from contributions.services.consultations import consultation_open_due
from contributions.services.panel import panel_selection_run


@task()
def open_due_consultations() -> int:
    """Announce the consultations whose opening date has arrived (idempotent)."""
    return consultation_open_due()


@task()
def select_panel(panel_id: int) -> str:
    """Stage 2 of a citizen panel: minutes of solver work, so out of the request."""
    return panel_selection_run(panel_id=panel_id).stage
