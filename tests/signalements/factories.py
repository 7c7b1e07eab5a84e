"""Helpers of the signalements tests: images made with Pillow and reports filed by the service."""

from __future__ import annotations

import io
from fractions import Fraction

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.models import User
from signalements import services
from signalements.models import Category, Signalement

NIMES = (43.8367, 4.3601)  # latitude, longitude: the Maison Carrée, Nîmes (30189)
PARIS = (48.8566, 2.3522)
# Outside Nîmes, roads go to the agglomeration's roads direction (nm-voirie).
SAINT_GILLES = (43.67861, 4.43167)


def _rational(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = Fraction(round((minutes_full - minutes) * 60 * 10000), 10000)
    return Fraction(degrees), Fraction(minutes), seconds


def jpeg_bytes(
    *,
    size: tuple[int, int] = (64, 32),
    orientation: int | None = None,
    gps: tuple[float, float] | None = None,
    serial: str | None = None,
    color: str = "red",
) -> bytes:
    """A JPEG; optionally with an EXIF orientation, a GPS position and a camera serial."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if serial:
        exif[0x010F] = "CameraMaker"
        exif.get_ifd(0x8769)[0xA431] = serial  # BodySerialNumber
    if gps:
        latitude, longitude = gps
        exif.get_ifd(0x8825).update(
            {
                1: "N" if latitude >= 0 else "S",
                2: _rational(abs(latitude)),
                3: "E" if longitude >= 0 else "W",
                4: _rational(abs(longitude)),
            }
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(name: str = "photo.jpg", **kwargs: object):
    return upload(jpeg_bytes(**kwargs), name)


def category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def file_report(
    reporter: User,
    *,
    slug: str = "chaussee-degradee",
    at: tuple[float, float] = NIMES,
    **kwargs: object,
) -> Signalement:
    """A report filed through the service, as the API would."""
    defaults: dict[str, object] = {"description": "Un trou dans la chaussée."}
    if slug == "fuite-d-eau":
        defaults["answers"] = {"emplacement": "trottoir"}
    return services.signalement_create(
        reporter=reporter,
        category=category(slug),
        latitude=at[0],
        longitude=at[1],
        **{**defaults, **kwargs},
    )
