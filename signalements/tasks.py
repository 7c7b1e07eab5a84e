"""Background work of the signalements app: thin wrappers around services."""

from __future__ import annotations

from django.tasks import task

from signalements import services


@task()
def process_photo(*, photo_id: int) -> str:
    """Make a photo's public derivatives; return its status."""
    photo = services.photo_process(photo_id=photo_id)
    return photo.status if photo is not None else "missing"


@task()
def sweep_photos() -> int:
    """Queue again the photos a worker left processing; return how many."""
    return len(services.photos_sweep())


@task()
def overdue_summary() -> int:
    """Email each direction's managers what is overdue; return how many emails were queued."""
    return services.overdue_summary_send()
