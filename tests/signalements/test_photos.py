"""Photo processing: upright, stripped, resized; originals private or dropped."""

from __future__ import annotations

import io

import pillow_heif
import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image, ImageChops, ImageDraw, ImageOps, ImageStat, JpegImagePlugin

from signalements import images, photos
from signalements.models import Photo
from signalements.storage import private_storage
from tests.signalements.factories import NIMES, category, file_report, jpeg_bytes, upload

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


def _report_with(citizen, content: bytes, name: str = "photo.jpg"):
    return file_report(citizen, slug="depot-sauvage", photos=[upload(content, name)], answers={})


def _open(field) -> Image.Image:
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_processing_makes_a_large_image_and_a_thumbnail(citizen):
    report = _report_with(citizen, jpeg_bytes(size=(3000, 1500)))
    photo = photos.photo_process(photo_id=report.photos.get().pk)

    assert photo.status == Photo.Status.READY
    large, thumbnail = _open(photo.large), _open(photo.thumbnail)
    assert large.format == thumbnail.format == "JPEG"
    assert large.size == (2048, 1024)
    assert thumbnail.size == (400, 200)
    assert (photo.width, photo.height) == (2048, 1024)
    assert default_storage.exists(photo.large.name)


def test_a_small_image_is_not_enlarged(citizen):
    report = _report_with(citizen, jpeg_bytes(size=(300, 200)))
    photo = photos.photo_process(photo_id=report.photos.get().pk)
    assert _open(photo.large).size == (300, 200)


def test_the_exif_orientation_is_applied(citizen):
    # Orientation 6: the camera was turned; the picture must be shown rotated by 90°.
    report = _report_with(citizen, jpeg_bytes(size=(600, 300), orientation=6))
    photo = photos.photo_process(photo_id=report.photos.get().pk)
    assert _open(photo.large).size == (300, 600)
    assert _open(photo.thumbnail).size == (200, 400)


def _landmarks_jpeg(size: tuple[int, int], orientation: int) -> bytes:
    """A JPEG with a red block top left and a green band at the bottom: every turn shows."""
    image = Image.new("RGB", size, "blue")
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, 0, width // 4, height // 3), fill="red")
    draw.rectangle((0, height - height // 5, width, height), fill="green")
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def draft_scales(monkeypatch) -> list[int]:
    """The scales at which JPEGs get decoded (1 = full, 2 = half...), as they happen."""
    scales: list[int] = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        scales.append(self.decoderconfig[0])
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return scales


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_big_photo_decoded_at_half_scale_is_upright_and_full_size(draft_scales, orientation):
    # 4100 px: at least twice 2048, so the JPEG is decoded at 1/2 scale, never below 2048 px.
    content = _landmarks_jpeg((4100, 1200), orientation)
    derivatives = images.make_derivatives(io.BytesIO(content))
    assert draft_scales == [2]

    # The same derivative made the plain way: full decode, turn, then resize.
    with Image.open(io.BytesIO(content)) as source:
        reference = ImageOps.exif_transpose(source)
    reference.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
    large = Image.open(io.BytesIO(derivatives.large))
    thumbnail = Image.open(io.BytesIO(derivatives.thumbnail))
    assert large.size == reference.size == (derivatives.width, derivatives.height)
    assert max(large.size) == 2048
    assert max(thumbnail.size) == 400
    assert max(ImageStat.Stat(ImageChops.difference(large, reference)).mean) < 4
    reference.thumbnail((400, 400), Image.Resampling.LANCZOS)
    assert thumbnail.size == reference.size
    assert max(ImageStat.Stat(ImageChops.difference(thumbnail, reference)).mean) < 4


def test_a_photo_under_twice_the_large_size_is_decoded_in_full(draft_scales):
    # A 12 MP phone photo is 4032 px wide: half of it (2016) would be under 2048.
    derivatives = images.make_derivatives(io.BytesIO(jpeg_bytes(size=(4032, 1000))))
    assert draft_scales == [1]
    assert (derivatives.width, derivatives.height) == (2048, 508)


def test_a_photo_over_the_memory_limit_goes_through_a_temporary_file(client_for, citizen):
    # Django keeps uploads up to 2.5 MB in memory; bigger ones are written to a temporary
    # file by our upload handler, then moved to private storage as sent.
    noise = Image.effect_noise((2000, 1500), 64)
    image = Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    content = buffer.getvalue()
    assert len(content) > 2.5 * 2**20
    data = {
        "category": category("depot-sauvage").pk,
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        "photos": [upload(content)],
    }
    response = client_for(citizen).post(URL, data, format="multipart")
    assert response.status_code == 201, response.content[:300]
    photo = Photo.objects.get(pk=response.json()["photos"][0]["id"])
    with photo.original.open("rb") as handle:
        assert handle.read() == content


def test_derivatives_carry_no_metadata(citizen):
    content = jpeg_bytes(size=(800, 600), orientation=6, gps=NIMES, serial="SN-123456")
    report = _report_with(citizen, content)
    photo = photos.photo_process(photo_id=report.photos.get().pk)

    for field in (photo.large, photo.thumbnail):
        image = _open(field)
        assert not image.getexif()
        assert "exif" not in image.info
        with field.open("rb") as handle:
            raw = handle.read()
        assert b"SN-123456" not in raw
        assert b"Exif" not in raw


def test_the_original_is_kept_privately_with_its_metadata(citizen, settings):
    report = _report_with(citizen, jpeg_bytes(gps=NIMES, serial="SN-123456"))
    photo = photos.photo_process(photo_id=report.photos.get().pk)

    assert photo.original
    assert private_storage().exists(photo.original.name)
    path = settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT / photo.original.name
    assert path.is_file()
    assert settings.MEDIA_ROOT not in path.parents
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018 - no URL: originals are never served


@override_settings(SIGNALEMENT_KEEP_ORIGINALS=False)
def test_the_original_is_dropped_when_the_setting_says_so(citizen):
    report = _report_with(citizen, jpeg_bytes())
    name = report.photos.get().original.name
    photo = photos.photo_process(photo_id=report.photos.get().pk)
    assert not photo.original
    assert not private_storage().exists(name)
    assert photo.status == Photo.Status.READY


def test_heic_photos_from_iphones_are_accepted(citizen):
    heif = pillow_heif.from_pillow(Image.new("RGB", (640, 480), "blue"))
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    report = _report_with(citizen, buffer.getvalue(), "IMG_0001.HEIC")
    photo = photos.photo_process(photo_id=report.photos.get().pk)
    assert _open(photo.large).format == "JPEG"
    assert _open(photo.large).size == (640, 480)


def test_a_png_with_transparency_becomes_a_jpeg(citizen):
    buffer = io.BytesIO()
    Image.new("RGBA", (100, 100), (0, 0, 0, 0)).save(buffer, format="PNG")
    report = _report_with(citizen, buffer.getvalue(), "capture.png")
    photo = photos.photo_process(photo_id=report.photos.get().pk)
    assert _open(photo.thumbnail).mode == "RGB"


def test_processing_twice_does_nothing_more(citizen):
    report = _report_with(citizen, jpeg_bytes())
    first = photos.photo_process(photo_id=report.photos.get().pk)
    second = photos.photo_process(photo_id=first.pk)
    assert second.large.name == first.large.name


def test_the_api_shows_links_once_the_photo_is_ready(api, citizen):
    report = _report_with(citizen, jpeg_bytes())
    before = api.get(f"{URL}{report.pk}/").json()["photos"][0]
    assert before["status"] == "processing"
    assert before["large_url"] is None

    photos.photo_process(photo_id=report.photos.get().pk)

    after = api.get(f"{URL}{report.pk}/").json()["photos"][0]
    assert after["status"] == "ready"
    assert after["large_url"].startswith("http://testserver/media/signalements/photos/")
    assert after["thumbnail_url"].startswith("http://testserver/media/signalements/thumbnails/")
    assert "originals" not in str(after)


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_photo_is_processed_by_a_task_enqueued_after_the_commit(
    client_for, citizen, django_capture_on_commit_callbacks
):
    data = {
        "category": category("depot-sauvage").pk,
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        "photos": [upload(jpeg_bytes())],
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(citizen).post(URL, data, format="multipart")
    assert response.status_code == 201
    assert response.json()["photos"][0]["status"] == "processing"
    assert len(callbacks) == 1
    assert Photo.objects.get(pk=response.json()["photos"][0]["id"]).status == "ready"


def test_a_photo_that_cannot_be_processed_is_marked_failed(citizen):
    report = _report_with(citizen, jpeg_bytes())
    photo = report.photos.get()
    with private_storage().open(photo.original.name, "wb") as handle:
        handle.write(b"garbage")
    assert photos.photo_process(photo_id=photo.pk).status == Photo.Status.FAILED


def test_with_the_database_queue_the_task_waits_for_a_worker(
    client_for, citizen, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    data = {
        "category": category("depot-sauvage").pk,
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        "photos": [upload(jpeg_bytes())],
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(citizen).post(URL, data, format="multipart")
    photo_id = response.json()["photos"][0]["id"]
    # Nothing is queued before the commit: a worker must never see an uncommitted photo.
    assert not DBTaskResult.objects.filter(task_path="signalements.tasks.process_photo").exists()

    for callback in callbacks:
        callback()

    row = DBTaskResult.objects.get(task_path="signalements.tasks.process_photo")
    assert row.status == "READY"
    assert row.args_kwargs["kwargs"] == {"photo_id": photo_id}
    assert Photo.objects.get(pk=photo_id).status == "processing"
