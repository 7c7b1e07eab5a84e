"""The photo pipeline, run by the worker: public derivatives of each uploaded photo.

Uploads are checked and stored by ``signalements.services`` (``photos_check``,
``signalement_create``, ``signalement_photos_add``), which queue
``signalements.tasks.process_photo`` after the commit; that task runs
``photo_process`` here. A photo is claimed with a lease, so that two workers never
process it at once and ``photos_sweep`` (a periodic task) finds what a dead worker
left. Originals are private; only the derivatives are public, with no metadata.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from signalements import images
from signalements.models import Photo

logger = logging.getLogger(__name__)

PHOTO_MAX_ATTEMPTS = 3
PHOTO_RETRY_DELAY = timedelta(minutes=1)


def photo_claim_lease() -> timedelta:
    """A photo takes well under a second to process: a worker holding one this long died."""
    return timedelta(seconds=settings.SIGNALEMENT_PHOTO_LEASE_SECONDS)


def _photo_claim(photo_id: int) -> Photo | None:
    """Take the photo for one attempt if it is processing and no worker holds it."""
    now = timezone.now()
    claimed = (
        Photo.objects.filter(
            pk=photo_id, status=Photo.Status.PROCESSING, attempts__lt=PHOTO_MAX_ATTEMPTS
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + photo_claim_lease(), attempts=F("attempts") + 1)
    )
    return Photo.objects.get(pk=photo_id) if claimed else None


def _photo_fail(photo: Photo) -> Photo:
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.FAILED, claimed_until=None)
    photo.refresh_from_db()
    return photo


def _photo_write(photo: Photo, field_name: str, name: str, content: bytes) -> None:
    """Store a derivative under a name fixed for the photo, replacing what a dead attempt left."""
    field = getattr(photo, field_name)
    field.storage.delete(field.field.generate_filename(photo, name))
    field.save(name, ContentFile(content), save=False)


def photo_process(*, photo_id: int) -> Photo | None:
    """Make the public derivatives of a photo; drop the original unless it is kept.

    Idempotent: a ready photo, or one another worker holds, is left as it is; a second
    attempt writes the same files under the same names. A photo that cannot be decoded
    fails at once; a storage error leaves it processing for the sweep to try again later.
    """
    photo = _photo_claim(photo_id)
    if photo is None:
        return Photo.objects.filter(pk=photo_id).first()
    if not photo.original:
        return _photo_fail(photo)
    try:
        with photo.original.open("rb") as source:
            content = source.read()
    except Exception:
        logger.exception("Photo %s: the original could not be read", photo_id)
        return _photo_retry_later(photo)
    try:
        derivatives = images.make_derivatives(io.BytesIO(content))
    except Exception:
        logger.exception("Photo %s could not be processed", photo_id)
        return _photo_fail(photo)
    # The original's name is random and never public: the derivatives take its stem, so
    # that every attempt writes the same two files.
    name = f"{Path(photo.original.name).stem}.jpg"
    try:
        _photo_write(photo, "large", name, derivatives.large)
        _photo_write(photo, "thumbnail", name, derivatives.thumbnail)
        Photo.objects.filter(pk=photo.pk, status=Photo.Status.PROCESSING).update(
            large=photo.large.name,
            thumbnail=photo.thumbnail.name,
            width=derivatives.width,
            height=derivatives.height,
            status=Photo.Status.READY,
            claimed_until=None,
        )
    except Exception:
        logger.exception("Photo %s: the derivatives could not be stored", photo_id)
        return _photo_retry_later(photo)
    if not settings.SIGNALEMENT_KEEP_ORIGINALS:
        photo.original.delete(save=False)
        Photo.objects.filter(pk=photo.pk).update(original="")
    photo.refresh_from_db()
    return photo


def _photo_retry_later(photo: Photo) -> Photo:
    """Leave the photo for the sweep after a pause; failed once the attempts are spent."""
    if photo.attempts >= PHOTO_MAX_ATTEMPTS:
        return _photo_fail(photo)
    retry_at = timezone.now() + PHOTO_RETRY_DELAY * 2 ** (photo.attempts - 1)
    Photo.objects.filter(pk=photo.pk, status=Photo.Status.PROCESSING).update(claimed_until=retry_at)
    photo.refresh_from_db()
    return photo


def photos_sweep(*, limit: int = 500) -> list[int]:
    """Photos left processing (a worker died, a task was lost, a retry is due): the ids
    to process again (the task queues them); those whose attempts are spent fail."""
    now = timezone.now()
    left = Photo.objects.filter(status=Photo.Status.PROCESSING).filter(
        Q(claimed_until__lt=now)
        # Never claimed: the task may still be waiting in a busy queue, give it a lease.
        | Q(claimed_until__isnull=True, created_at__lt=now - photo_claim_lease())
    )
    spent = left.filter(attempts__gte=PHOTO_MAX_ATTEMPTS).update(
        status=Photo.Status.FAILED, claimed_until=None
    )
    if spent:
        logger.warning("%s photos failed after %s attempts", spent, PHOTO_MAX_ATTEMPTS)
    return list(left.order_by("pk").values_list("pk", flat=True)[:limit])
