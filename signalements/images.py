"""Everything Pillow does for us: checking uploads, reading GPS, making clean derivatives."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_PIXELS = 50_000_000
MAX_BYTES = 20 * 1024 * 1024
LARGE_SIZE = 2048
THUMBNAIL_SIZE = 400
# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; we refuse above it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# A truncated upload must be an error, not a grey half-picture.
ImageFile.LOAD_TRUNCATED_IMAGES = False

GPS_IFD = 0x8825
# What phones send. Anything else that Pillow happens to read (GIF, BMP, TIFF, PSD...) is
# refused: fewer decoders facing the internet, no animations.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF", "AVIF"}
# Active content hidden in an image (polyglots) must never reach storage.
ACTIVE_MARKERS = (b"<script", b"<html", b"<?php", b"<svg", b"<!doctype html")


@dataclass(frozen=True)
class InspectedImage:
    format: str
    width: int
    height: int
    latitude: float | None
    longitude: float | None


def _dms_to_degrees(dms: object, ref: object) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in dms)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).strip().upper() in {"S", "W"}:
        value = -value
    return value


def gps_position(image: Image.Image) -> tuple[float, float] | None:
    """Latitude and longitude from the EXIF GPS tags, if any are usable."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:
        # Broken EXIF must not reject an otherwise good photo.
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    latitude = _dms_to_degrees(gps.get(2), gps.get(1, "N"))
    longitude = _dms_to_degrees(gps.get(4), gps.get(3, "E"))
    if latitude is None or longitude is None:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def inspect_upload(file: IO[bytes], *, name: str = "") -> InspectedImage:
    """Decode the whole file to prove it is a sound image of acceptable size.

    Raises a Django ValidationError with a message naming the file.
    """
    label = name or _("the file")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(max)s MB.") % {"name": label, "max": MAX_BYTES // 2**20}
        )
    file.seek(0)
    head = file.read()
    lowered = head.lower()
    if any(marker in lowered for marker in ACTIVE_MARKERS):
        file.seek(0)
        raise ValidationError(_("%(name)s carries content that is not a photo.") % {"name": label})
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise UnidentifiedImageError(image.format)
                if getattr(image, "n_frames", 1) > 2:  # MPO photos carry a preview frame
                    raise UnidentifiedImageError("animation")
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
                position = gps_position(image)
                inspected = InspectedImage(
                    format=image.format or "",
                    width=image.width,
                    height=image.height,
                    latitude=position[0] if position else None,
                    longitude=position[1] if position else None,
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("%(name)s has more than %(max)s million pixels.")
            % {"name": label, "max": MAX_PIXELS // 1_000_000}
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, WebP or HEIC expected).") % {"name": label}
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports truncated or corrupt data as OSError (and a few decoders otherwise).
        raise ValidationError(_("%(name)s is damaged or incomplete.") % {"name": label}) from error
    finally:
        file.seek(0)
    return inspected


def _jpeg(image: Image.Image, size: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    # A fresh info dict: nothing of the original's EXIF, XMP or ICC goes into the output.
    copy.info = {}
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), copy.width, copy.height


@dataclass(frozen=True)
class Derivatives:
    large: bytes
    thumbnail: bytes
    width: int
    height: int


def make_derivatives(file: IO[bytes]) -> Derivatives:
    """A large JPEG and a thumbnail, upright and stripped of every metadata."""
    with Image.open(file) as source:
        upright = ImageOps.exif_transpose(source)
        if upright.mode not in ("RGB", "L"):
            background = Image.new("RGB", upright.size, "white")
            rgba = upright.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            upright = background
        large, width, height = _jpeg(upright, LARGE_SIZE)
        thumbnail, _width, _height = _jpeg(upright, THUMBNAIL_SIZE)
    return Derivatives(large=large, thumbnail=thumbnail, width=width, height=height)
