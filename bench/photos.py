"""Photo processing bench: our derivatives path against bare Pillow doing the same work.

Called from bench/bench.py inside its Django process (settings configured, database seeded
with the demo territory). Importing this module has no side effect: the 12-megapixel JPEG
generator is copied from bench/bench.py, whose import rewrites ``os.environ``.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

PHOTOS = 3
# Where the demo territory certainly routes a report: the Maison Carrée, Nîmes.
NIMES = (43.8367, 4.3601)  # latitude, longitude


def jpeg_12mp(seed: int) -> bytes:
    """A 4032 x 3024 JPEG with noise, about the weight of a phone photo."""
    return phone_jpeg(seed, (4032, 3024))


def phone_jpeg(seed: int, size: tuple[int, int]) -> bytes:
    """A JPEG of ``size`` with noise, as heavy per pixel as a phone's."""
    noise = Image.effect_noise(size, 24 + seed)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def bare_derivatives(source: Path, large: Path, thumbnail: Path) -> None:
    """The naive floor: what anyone would write with Pillow for the same two derivatives."""
    with Image.open(source) as image:
        upright = ImageOps.exif_transpose(image)
    upright.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
    upright.save(large, format="JPEG", quality=85)
    upright.thumbnail((400, 400), Image.Resampling.LANCZOS)
    upright.save(thumbnail, format="JPEG", quality=85)


def _ours_once(signalement: Any, contents: list[bytes]) -> float:
    """Milliseconds for ``photo_process`` of fresh photos (their originals stored untimed)."""
    from django.core.files.base import ContentFile

    from signalements import photos as pipeline
    from signalements.models import Photo

    photos = []
    for position, content in enumerate(contents):
        photo = Photo(signalement=signalement, position=position)
        photo.original.save(f"{uuid.uuid4().hex}.jpeg", ContentFile(content), save=False)
        photo.save()
        photos.append(photo)
    try:
        started = time.perf_counter()
        for photo in photos:
            done = pipeline.photo_process(photo_id=photo.pk)
            assert done is not None and done.status == Photo.Status.READY, done
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        for photo in Photo.objects.filter(pk__in=[photo.pk for photo in photos]):
            for field in (photo.original, photo.large, photo.thumbnail):
                if field:
                    field.delete(save=False)
    return elapsed


def _bare_once(folder: Path) -> float:
    """Milliseconds for bare Pillow over the originals already written in ``folder``."""
    started = time.perf_counter()
    for index in range(PHOTOS):
        bare_derivatives(
            folder / f"original-{index}.jpg",
            folder / f"large-{index}.jpg",
            folder / f"thumbnail-{index}.jpg",
        )
    return (time.perf_counter() - started) * 1000


def measure_processing(repeat: int = 3) -> dict[str, float]:
    """Time our processing of three 12 MP JPEGs against bare Pillow doing the same.

    Ours is the task's whole path, called without the HTTP stack:
    ``signalements.photos.photo_process`` for each photo, i.e. open the private original
    from storage, ``signalements.images.make_derivatives`` (a 2048 px JPEG q85 optimised and
    a 400 px thumbnail made from it, upright, metadata stripped), write both through the
    default storage, update the Photo row. The Photo rows are created (originals stored,
    untimed) inside a transaction that is rolled back at the end; every file written is
    deleted.

    Bare is Pillow written plainly, reading the same originals from files and writing its
    two outputs to files: open, ``ImageOps.exif_transpose``, ``thumbnail((2048, 2048),
    LANCZOS)``, save JPEG q85, ``thumbnail((400, 400), LANCZOS)``, save. It does not call
    ``draft()``. Ours does, but draft never decodes below what the 2048 px output needs:
    for these 4032 px photos half scale would give 2016 px, so ours decodes them in full
    too and the comparison is like for like. (For photos of 4096 px and more, e.g. 48 MP,
    ours decodes at 1/2 or 1/4 scale and would beat this floor.)

    Both run once untimed first, then ``repeat`` times, alternating which goes first; the
    figures are medians of the time for all three photos.
    """
    from django.db import transaction

    from backend.models import User
    from signalements import services
    from signalements.models import Category

    contents = [jpeg_12mp(seed) for seed in range(PHOTOS)]
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as name, transaction.atomic():
        folder = Path(name)
        for index, content in enumerate(contents):
            (folder / f"original-{index}.jpg").write_bytes(content)
        reporter = User.objects.create(email=f"bench-photos-{uuid.uuid4().hex}@bench.test")
        category = (
            Category.objects.filter(slug="chaussee-degradee", is_active=True).first()
            or Category.objects.filter(is_active=True, photo_required=False).first()
        )
        assert category is not None, "the bench needs the demo categories (load_demo)"
        signalement = services.signalement_create(
            reporter=reporter,
            category=category,
            latitude=NIMES[0],
            longitude=NIMES[1],
            description="Bench: photo processing",
        )
        _ours_once(signalement, contents)
        _bare_once(folder)
        for turn in range(repeat):
            if turn % 2:
                bare.append(_bare_once(folder))
                ours.append(_ours_once(signalement, contents))
            else:
                ours.append(_ours_once(signalement, contents))
                bare.append(_bare_once(folder))
        transaction.set_rollback(True)
    ours_p50, bare_p50 = statistics.median(ours), statistics.median(bare)
    return {
        "ours_ms_p50": round(ours_p50, 1),
        "bare_ms_p50": round(bare_p50, 1),
        "ratio": round(ours_p50 / bare_p50, 2),
    }
