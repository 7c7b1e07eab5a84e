"""Background work of reports: thin tasks around the photo pipeline and the services."""

from __future__ import annotations

from django.tasks import task

from signalements import photos, services


@task()
def process_photo(*, photo_id: int) -> str:
    """Make a photo's public derivatives; return its status."""
    photo = photos.photo_process(photo_id=photo_id)
    return photo.status if photo is not None else "missing"


@task()
def sweep_photos() -> int:
    """Queue again the photos a worker left processing; return how many."""
    ids = photos.photos_sweep()
    for photo_id in ids:
        process_photo.enqueue(photo_id=photo_id)
    return len(ids)


@task()
def overdue_summary() -> int:
    """Email each direction's managers what is overdue; return how many emails were queued."""
    return services.overdue_summary_send()
