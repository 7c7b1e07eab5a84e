"""The ticket workflow: which status may follow which, and who may move it.

This table is the one place the rules live; services consult it, views never do.
"""

from __future__ import annotations

from datetime import timedelta

from signalements.models import Status

# Staff of the direction in charge move reports along these edges.
STAFF_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.ACKNOWLEDGED, Status.REJECTED},
    Status.ACKNOWLEDGED: {Status.SCHEDULED, Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED},
    Status.SCHEDULED: {Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED},
    Status.IN_PROGRESS: {Status.SCHEDULED, Status.RESOLVED, Status.REJECTED},
    Status.RESOLVED: {Status.CLOSED},
    Status.REOPENED: {
        Status.ACKNOWLEDGED,
        Status.SCHEDULED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REJECTED,
    },
    Status.REJECTED: set(),
    Status.CLOSED: set(),
}

# The reporter may reopen a resolved report while the problem is fresh.
REPORTER_TRANSITIONS: dict[str, set[str]] = {Status.RESOLVED: {Status.REOPENED}}
REOPEN_WINDOW = timedelta(days=30)


def allowed(*, current: str, target: str, as_reporter: bool) -> bool:
    table = REPORTER_TRANSITIONS if as_reporter else STAFF_TRANSITIONS
    return target in table.get(current, set())
