"""Everything Pillow does for us: checking uploads, reading GPS, making clean derivatives."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageFile, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_PIXELS = 50_000_000
# JPEGs are checked and resized at a reduced DCT scale (see _DRAFT_FORMATS), so they never
# cost their full size in memory: phones' 50 and 200 megapixel modes are accepted.
MAX_JPEG_PIXELS = 210_000_000
MAX_BYTES = 20 * 1024 * 1024
LARGE_SIZE = 2048
THUMBNAIL_SIZE = 400
# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; we refuse above it.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS
# A truncated upload must be an error, not a grey half-picture.
ImageFile.LOAD_TRUNCATED_IMAGES = False

GPS_IFD = 0x8825
# What phones send. Anything else that Pillow happens to read (GIF, BMP, TIFF, PSD...) is
# refused: fewer decoders facing the internet, no animations.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF", "AVIF"}
# JPEG decoders can decode at 1/2, 1/4 or 1/8 scale (``Image.draft``): the whole
# entropy-coded stream is still read and decoded, only the inverse DCT, colour conversion
# and memory shrink. Truncated or corrupt data is refused exactly as with a full decode.
_DRAFT_FORMATS = {"JPEG", "MPO"}
_ANIMATED_FORMATS = {"PNG", "WEBP", "AVIF"}


def _max_pixels(image_format: str | None) -> int:
    return MAX_JPEG_PIXELS if image_format in _DRAFT_FORMATS else MAX_PIXELS


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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

    Decoding is the check of what a file is: no byte pattern is searched for. Text such as
    ``<svg`` occurs by chance in the compressed data of a few percent of phone photos, and
    in EXIF or comments of sound ones, so no such scan can be right for every photo. A
    file with something hidden inside (a polyglot) is made harmless instead: its original
    is private and never served, and the public derivatives are JPEGs re-encoded from the
    decoded pixels, carrying nothing else of the file.

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
    # Pillow's own check at opening applies the largest limit; the format's comes next.
    limit = MAX_JPEG_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise UnidentifiedImageError(image.format)
                limit = _max_pixels(image.format)
                # Phones' JPEGs (MPO) and HEIC carry more images (preview, depth or gain
                # maps): only the first is used. An animated PNG or WebP is no photo.
                if image.format in _ANIMATED_FORMATS and getattr(image, "is_animated", False):
                    raise UnidentifiedImageError("animation")
                width, height = image.size
                if width * height > limit:
                    raise Image.DecompressionBombError("too many pixels")
                if image.format in _DRAFT_FORMATS:
                    # At 1/8 scale every byte is still entropy-decoded, so damage is still
                    # caught, in about half the time of a full decode.
                    image.draft(None, (1, 1))
                image.load()
                position = gps_position(image)
                inspected = InspectedImage(
                    format=image.format or "",
                    width=width,
                    height=height,
                    latitude=position[0] if position else None,
                    longitude=position[1] if position else None,
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("%(name)s has more than %(max)s million pixels.")
            % {"name": label, "max": limit // 1_000_000}
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


def _fitted_size(size: tuple[int, int], bound: int) -> tuple[int, int]:
    """The size within ``bound`` x ``bound`` keeping the aspect ratio; never enlarged."""
    width, height = size
    if width <= bound and height <= bound:
        return size
    if width >= height:
        return bound, max(1, round(height * bound / width))
    return max(1, round(width * bound / height)), bound


def _resized(
    image: Image.Image, size: tuple[int, int], box: tuple[float, ...] | None = None
) -> Image.Image:
    """``image`` (or its ``box``) at ``size``; ``image`` itself when nothing changes."""
    if size == image.size and box is None:
        return image
    # reducing_gap: an integer ``reduce`` first when the ratio allows, then LANCZOS over a
    # ratio of at least 2 (what ``Image.thumbnail`` does).
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)


def _jpeg(image: Image.Image) -> bytes:
    # A fresh info dict: nothing of the original's EXIF, XMP, ICC or comment goes out.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _orientation(image: Image.Image) -> Image.Transpose | None:
    """The transposition the EXIF Orientation asks for (as ``ImageOps.exif_transpose``)."""
    try:
        return _TRANSPOSE.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:
        # Broken EXIF must not reject an otherwise good photo: show it as stored.
        return None


def _flattened(image: Image.Image) -> Image.Image:
    """RGB or L, transparency over white."""
    if image.mode in ("RGB", "L"):
        return image
    background = Image.new("RGB", image.size, "white")
    rgba = image.convert("RGBA")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


@dataclass(frozen=True)
class Derivatives:
    large: bytes
    thumbnail: bytes
    width: int
    height: int


def make_derivatives(file: IO[bytes]) -> Derivatives:
    """A large JPEG and a thumbnail, upright and stripped of every metadata.

    A JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that still gives at least
    LARGE_SIZE on the long side, so a 48 MP photo is decoded at 12 MP; a 12 MP one (4032 px)
    is decoded in full. The large image is resized once, then turned upright (cheaper than
    turning the full picture), and the thumbnail is made from it.
    """
    with Image.open(file) as source:
        size = _fitted_size(source.size, LARGE_SIZE)
        box = None
        if source.format in _DRAFT_FORMATS and size != source.size:
            drafted = source.draft(None, size)
            # The area of the reduced picture that maps exactly onto the original.
            box = drafted[1] if drafted is not None else None
        source.load()
        method = _orientation(source)
        large = _resized(_flattened(source), size, box)
        if large is source:
            large = source.copy()
    if method is not None:
        large = large.transpose(method)
    thumbnail = _resized(large, _fitted_size(large.size, THUMBNAIL_SIZE))
    width, height = large.size
    return Derivatives(large=_jpeg(large), thumbnail=_jpeg(thumbnail), width=width, height=height)
