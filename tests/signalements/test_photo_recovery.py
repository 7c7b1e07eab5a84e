"""A photo a worker left processing is taken up again by the sweep, or ends failed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client, override_settings
from django.utils import timezone

from signalements import images, photos, tasks
from signalements.models import Photo
from tests.helpers import manage
from tests.signalements.factories import file_report, jpeg_bytes, upload

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.django_db


def _photo(citizen) -> Photo:
    report = file_report(citizen, slug="depot-sauvage", photos=[upload(jpeg_bytes())], answers={})
    return report.photos.get()


def _left_by_a_dead_worker(photo: Photo, attempts: int = 1) -> None:
    """The photo as a worker killed while processing it leaves it: claimed, claim run out."""
    Photo.objects.filter(pk=photo.pk).update(
        attempts=attempts, claimed_until=timezone.now() - timedelta(seconds=1)
    )


def _public_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


class WorkerKilled(BaseException):
    """What a SIGKILL amounts to for the code: nothing after it runs."""


@override_settings(TASKS=IMMEDIATE)
def test_a_photo_left_processing_with_an_expired_claim_is_processed_by_the_sweep(citizen):
    photo = _photo(citizen)
    _left_by_a_dead_worker(photo)

    tasks.sweep_photos.enqueue()

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert (photo.attempts, photo.claimed_until) == (2, None)


def test_a_photo_a_live_worker_holds_is_left_to_it(citizen):
    photo = _photo(citizen)
    Photo.objects.filter(pk=photo.pk).update(
        attempts=1, claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert photos.photos_sweep() == []
    assert photos.photo_process(photo_id=photo.pk).status == Photo.Status.PROCESSING


def test_a_photo_never_claimed_is_swept_once_its_task_is_overdue(citizen):
    photo = _photo(citizen)
    assert photos.photos_sweep() == [], "its task may still be waiting in the queue"
    Photo.objects.filter(pk=photo.pk).update(
        created_at=timezone.now() - photos.photo_claim_lease() - timedelta(seconds=1)
    )
    assert photos.photos_sweep() == [photo.pk]


@override_settings(TASKS=IMMEDIATE)
def test_a_photo_that_kills_its_worker_every_time_ends_failed_after_the_max_attempts(
    citizen, monkeypatch, api
):
    def die(file):
        raise WorkerKilled

    monkeypatch.setattr(images, "make_derivatives", die)
    photo = _photo(citizen)
    for attempt in range(1, photos.PHOTO_MAX_ATTEMPTS + 1):
        with pytest.raises(WorkerKilled):
            photos.photo_process(photo_id=photo.pk)
        photo.refresh_from_db()
        assert (photo.status, photo.attempts) == (Photo.Status.PROCESSING, attempt)
        _left_by_a_dead_worker(photo, attempts=attempt)

    assert photos.photos_sweep() == []
    photo.refresh_from_db()
    assert photo.status == Photo.Status.FAILED
    shown = api.get(f"/api/v1/signalements/{photo.signalement_id}/").json()["photos"][0]
    assert (shown["status"], shown["large_url"], shown["thumbnail_url"]) == ("failed", None, None)


def test_a_storage_error_is_tried_again_later_then_fails(citizen, monkeypatch):
    def unavailable(self, name, content, max_length=None):
        raise OSError("storage unavailable")

    photo = _photo(citizen)
    monkeypatch.setattr(FileSystemStorage, "save", unavailable)
    for attempt in range(1, photos.PHOTO_MAX_ATTEMPTS):
        assert photos.photo_process(photo_id=photo.pk).status == Photo.Status.PROCESSING
        photo.refresh_from_db()
        assert photo.claimed_until > timezone.now(), "the next try waits"
        assert photos.photos_sweep() == []
        _left_by_a_dead_worker(photo, attempts=attempt)
        assert photos.photos_sweep() == [photo.pk]
    assert photos.photo_process(photo_id=photo.pk).status == Photo.Status.FAILED


def test_processing_again_after_a_crash_gives_the_same_files_and_no_more(citizen, settings):
    photo = _photo(citizen)
    first = photos.photo_process(photo_id=photo.pk)
    files = _public_files(settings)
    contents = [path.read_bytes() for path in files]
    assert len(files) == 2
    # As if the worker died after writing the files, before the row said so.
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING, large="", thumbnail="")
    _left_by_a_dead_worker(photo)

    again = photos.photo_process(photo_id=photo.pk)

    assert again.status == Photo.Status.READY
    assert (again.large.name, again.thumbnail.name) == (first.large.name, first.thumbnail.name)
    assert _public_files(settings) == files
    assert [path.read_bytes() for path in files] == contents


def test_a_ready_photo_is_never_processed_again(citizen):
    photo = photos.photo_process(photo_id=_photo(citizen).pk)
    _left_by_a_dead_worker(photo)
    assert photos.photos_sweep() == []
    assert photos.photo_process(photo_id=photo.pk).attempts == 1


def test_the_schema_says_photo_links_are_null_until_the_photo_is_ready():
    document = Client().get("/api/schema/?format=json").json()
    properties = document["components"]["schemas"]["Photo"]["properties"]
    for name in ("large_url", "thumbnail_url"):
        assert properties[name]["nullable"] is True, properties[name]
        assert properties[name]["format"] == "uri"


def test_the_sweep_is_a_recurring_job():
    from backend import schedule

    job = schedule.jobs()["photos-sweep"]
    assert job.task_path == "signalements.tasks.sweep_photos"
    assert job.every is not None and job.every <= photos.photo_claim_lease()


def test_real_workers_finish_a_photo_whose_worker_died(committed_db, citizen, settings):
    from django_tasks_db.models import DBTaskResult

    files = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNALEMENT_PRIVATE_MEDIA_ROOT": str(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT),
    }

    photo = _photo(citizen)
    # What the dead worker left: its task RUNNING forever, the photo claimed by it.
    task = DBTaskResult.objects.get(task_path="signalements.tasks.process_photo")
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING")
    _left_by_a_dead_worker(photo)

    worker = manage("db_worker", "--batch", "--no-startup-delay", env=files)
    assert worker.returncode == 0, worker.stderr
    photo.refresh_from_db()
    assert photo.status == Photo.Status.PROCESSING, "the queue does not take the task up again"

    scheduler = manage("scheduler", env=files)
    assert "enqueued photos-sweep" in scheduler.stdout, scheduler.stderr
    worker = manage("db_worker", "--batch", "--no-startup-delay", env=files)
    assert worker.returncode == 0, worker.stderr

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY, worker.stderr
    assert photo.large and photo.thumbnail
