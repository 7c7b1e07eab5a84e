"""Sound photos are accepted whatever their bytes happen to spell; markup inside goes nowhere."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image

from signalements import images, photos
from signalements.models import Photo
from tests import figures
from tests.signalements.factories import NIMES, category, upload

URL = "/api/v1/signalements/"
PLANTED = b"<script>alert(1)</script>"
MARKUP = re.compile(rb"<(script|html|\?php|svg|!doctype html)", re.IGNORECASE)
# Photos of noise (320 x 240, quality 95) whose compressed data spells a marker by chance:
# "<Svg", "<sVG" and "<SvG", found among 25,000 seeds with Pillow 13. About one photo in
# twenty of a phone's 5 MB carries such a pattern somewhere.
SEEDS_SPELLING_SVG = (6809, 7724, 23801)


def noise_jpeg(seed: int, size: tuple[int, int] = (320, 240), **save: object) -> bytes:
    """A photo of colour noise: compressed data as high in entropy as a JPEG gets."""
    pixels = random.Random(seed).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, format="JPEG", quality=95, **save)
    return buffer.getvalue()


def _scan_start(content: bytes) -> int:
    """Where the entropy-coded data of a baseline JPEG begins (after the SOS header)."""
    sos = content.index(b"\xff\xda")
    return sos + 2 + int.from_bytes(content[sos + 2 : sos + 4], "big")


def planted_in_scan(marker: bytes) -> bytes:
    """A noise photo with ``marker`` written over the middle of its entropy-coded data."""
    content = bytearray(noise_jpeg(1))
    at = (_scan_start(content) + len(content)) // 2
    while content[at - 1] == 0xFF:  # keep the byte stuffing of the stream intact
        at += 1
    content[at : at + len(marker)] = marker
    return bytes(content)


def planted_in_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = PLANTED.decode()  # ImageDescription
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + PLANTED  # UserComment
    return noise_jpeg(2, exif=exif.tobytes())


def planted_in_png_pixels() -> bytes:
    """A PNG stored without compression whose pixel values spell markup, with a text chunk."""
    from PIL import PngImagePlugin

    row = (PLANTED + b"<svg onload=alert(1)>").ljust(120, b" ")
    image = Image.frombytes("L", (len(row), 40), row * 40)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<!DOCTYPE html><html><script>alert(1)</script></html>")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0, pnginfo=text)
    return buffer.getvalue()


PLANTED_FILES = {
    "svg-in-scan.jpg": lambda: planted_in_scan(b"<svg"),
    "script-in-scan.jpg": lambda: planted_in_scan(PLANTED),
    "doctype-in-scan.jpg": lambda: planted_in_scan(b"<!DOCTYPE html><?php"),
    "exif.jpg": planted_in_exif,
    "comment.jpg": lambda: noise_jpeg(3, comment=PLANTED),
    "xmp.jpg": lambda: noise_jpeg(4, xmp=b"<x:xmpmeta><html>" + PLANTED + b"</html></x:xmpmeta>"),
    "pixels.png": planted_in_png_pixels,
}


def test_three_hundred_photos_of_noise_are_all_accepted():
    seeds = [*range(300 - len(SEEDS_SPELLING_SVG)), *SEEDS_SPELLING_SVG]
    for seed in seeds:
        inspected = images.inspect_upload(io.BytesIO(noise_jpeg(seed)), name=f"{seed}.jpg")
        assert (inspected.format, inspected.width, inspected.height) == ("JPEG", 320, 240)
    figures.count("photos of noise accepted", len(seeds))


@pytest.mark.parametrize("seed", SEEDS_SPELLING_SVG)
def test_a_photo_whose_compressed_data_spells_svg_is_accepted(seed):
    content = noise_jpeg(seed)
    assert MARKUP.search(content[_scan_start(content) :]), "the encoder's output changed"
    inspected = images.inspect_upload(io.BytesIO(content), name="IMG_0001.jpg")
    assert inspected.format == "JPEG"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PLANTED_FILES))
def test_markup_planted_in_a_sound_photo_is_accepted_and_kept_out_of_public_files(
    client_for, citizen, settings, name
):
    content = PLANTED_FILES[name]()
    assert MARKUP.search(content)
    data = {
        "category": category("depot-sauvage").pk,
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        "photos": [upload(content, name)],
    }
    response = client_for(citizen).post(URL, data, format="multipart")
    assert response.status_code == 201, response.content[:300]
    photo = photos.photo_process(photo_id=response.json()["photos"][0]["id"])

    assert photo.status == Photo.Status.READY
    for field in (photo.large, photo.thumbnail):
        with field.open("rb") as handle:
            public = handle.read()
        assert Image.open(io.BytesIO(public)).format == "JPEG"
        for marker in (PLANTED, b"<svg onload", b"<!DOCTYPE", b"<html", b"<?php"):
            assert marker not in public, (name, field.name, marker)
    # The file as sent stays private, named after what it decoded as, and has no URL.
    original = Path(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT) / photo.original.name
    assert original.read_bytes() == content
    assert original.suffix in {".jpeg", ".png"}
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018
    figures.count("photos with planted markup accepted")
