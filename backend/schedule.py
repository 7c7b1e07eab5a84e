"""Recurring tasks, run without anyone acting: `manage.py scheduler` enqueues them when due.

django-tasks-db has no periodic schedule; this module is the small one the project
needs. The jobs are one list, ``settings.PERIODIC_JOBS``, each naming its task by
dotted path (so that this module, at the bottom of the layers, imports no app). Any
number of schedulers may run: a job is claimed by a conditional UPDATE, so each run
is enqueued once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    every: timedelta | None = None
    daily_at: time | None = None

    def next_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        zone = ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        candidate = datetime.combine(local.date(), self.daily_at, tzinfo=zone)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.daily_at, zone)
        return candidate


def jobs() -> dict[str, Job]:
    """The recurring jobs of ``settings.PERIODIC_JOBS``, by name."""
    return {
        entry["name"]: Job(
            name=entry["name"],
            task_path=entry["task"],
            every=entry.get("every"),
            daily_at=entry.get("daily_at"),
        )
        for entry in settings.PERIODIC_JOBS
    }


def run_due(now: datetime | None = None, enqueue: Callable | None = None) -> list[str]:
    """Enqueue every job that is due; return their names."""
    from backend.models import PeriodicJob

    now = now or timezone.now()
    started = []
    for job in jobs().values():
        row, _ = PeriodicJob.objects.get_or_create(
            name=job.name, defaults={"next_run_at": job.next_after(now) if job.daily_at else now}
        )
        if row.next_run_at > now:
            continue
        claimed = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=job.next_after(now), last_run_at=now
        )
        if claimed:
            (enqueue or _enqueue)(job)
            started.append(job.name)
    return started


def _enqueue(job: Job) -> None:
    import_string(job.task_path).enqueue()
    logger.info("scheduler: enqueued %s", job.name)
