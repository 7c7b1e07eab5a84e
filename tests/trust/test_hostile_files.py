"""A corpus of hostile files, generated here: each is refused with 400 and nothing is
stored, or, when it is a sound photo with something hidden inside, made harmless."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from signalements import photos
from signalements.models import Category, Photo, Signalement
from tests import figures
from tests.signalements.factories import SAINT_GILLES

pytestmark = pytest.mark.django_db


def jpeg(size=(64, 48), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format="JPEG", **save)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb() -> bytes:
    """A PNG declaring 100,000 x 100,000 pixels, compressed to a few kilobytes."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * 100_000
    data = zlib.compress(row * 50, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def jpeg_huge_declared() -> bytes:
    """A real JPEG whose frame header claims 60,000 x 60,000 pixels."""
    data = bytearray(jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 60_000, 60_000)
    return bytes(data)


def gif_many_frames() -> bytes:
    frames = [Image.new("P", (8, 8), index % 256) for index in range(3000)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def exif_absurd() -> bytes:
    """A JPEG with an EXIF orientation of 9999 and GPS degrees of 1e9, and a script inside."""
    exif = Image.Exif()
    exif[0x0112] = 9999
    exif.get_ifd(0x8825).update({1: "N", 2: (1e9, 0.0, 0.0), 3: "E", 4: (1e9, 0.0, 0.0)})
    exif[0x010E] = "<script>alert(1)</script>"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


CORPUS = {
    "truncated.jpg": lambda: jpeg((800, 600))[:1500],
    "bomb.png": png_bomb,
    "huge-declared.jpg": jpeg_huge_declared,
    "frames.gif": gif_many_frames,
    "drawing.svg": lambda: (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    "page.jpg": lambda: b"<!DOCTYPE html><html><body>not a photo</body></html>",
    # A decoder only reads an image whose signature opens the file: nothing can come first.
    "page-then-photo.jpg": lambda: b"<!DOCTYPE html><html><body>" + jpeg(),
    "document.jpg": lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "empty.jpg": lambda: b"",
    "big.jpg": lambda: jpeg() + b"\0" * (25 * 1024 * 1024),
}
# Sound photos that carry something else: the decoder reads a photo, so no rule can refuse
# them without refusing genuine photos too. The original is kept private and never served;
# what is public is re-encoded from the pixels alone.
HARMLESS = {
    "polyglot.jpg": (lambda: jpeg() + b"<script>fetch('/api/v1/me/')</script>", b"<script>"),
    "exif-absurd.jpg": (exif_absurd, b"<script>"),
    "html-trailer.png": (
        lambda: png() + b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"<script>",
    ),
}


def png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return buffer.getvalue()


def stored_files(*roots: Path) -> list[Path]:
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def _file_with_photo(client, content: bytes):
    return client.post(
        "/api/v1/signalements/",
        {
            "category": Category.objects.get(slug="chaussee-degradee").pk,
            "description": "Test",
            "latitude": SAINT_GILLES[0],
            "longitude": SAINT_GILLES[1],
            "photos": [io.BytesIO(content)],
        },
        format="multipart",
    )


@dataclass
class Memory:
    python_mb: float = 0.0
    pillow_mb: float = 0.0


@contextmanager
def memory_of_the_operation() -> Iterator[Memory]:
    """What the operation itself allocates, whatever the process did before.

    Two measures, because neither sees everything:
    - Python objects (the request body, parsers, copies): the peak that ``tracemalloc``
      traces during the operation, above what was live when it started.
    - Pixels: Pillow allocates image memory in C, which ``tracemalloc`` never sees, in
      blocks of at most ``Image.core.get_block_size()`` bytes, counted by
      ``Image.core.get_stats()``. Every block taken during the operation is counted at full
      size: an upper bound of the pixel memory, cumulative rather than peak.
    The process's resident peak (``ru_maxrss``) is no measure: it only grows, so an
    operation that stays under an earlier peak is never seen; and a bomb's pixel buffer
    is mapped lazily, so ten gigabytes of pixels allocated for a decode that stops at the
    end of the data add only a few megabytes of resident memory.
    """
    memory = Memory()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    start, _peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    blocks = ("allocated_blocks", "reused_blocks", "reallocated_blocks")
    before = Image.core.get_stats()
    try:
        yield memory
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        after = Image.core.get_stats()
        taken = sum(after[name] - before[name] for name in blocks)
        memory.python_mb = (peak - start) / 2**20
        memory.pillow_mb = taken * Image.core.get_block_size() / 2**20


# A bomb decoded as far as the first corpus file's data goes takes 599 blocks (9.4 GB).
MAX_OPERATION_MB = 400


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_hostile_file_is_refused_and_nothing_is_stored(client_for, citizen, settings, name):
    content = CORPUS[name]()
    before = (Signalement.objects.count(), Photo.objects.count())
    with memory_of_the_operation() as memory:
        response = _file_with_photo(client_for(citizen), content)
    assert memory.python_mb + memory.pillow_mb < MAX_OPERATION_MB, (name, memory)
    assert response.status_code == 400, (name, response.status_code, response.content[:200])
    body = response.json()
    assert "photos" in body["fields"], body
    assert (Signalement.objects.count(), Photo.objects.count()) == before
    assert (
        stored_files(Path(settings.MEDIA_ROOT), Path(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT)) == []
    )
    figures.count("hostile files refused")


@pytest.mark.parametrize("name", sorted(HARMLESS))
def test_a_sound_photo_carrying_a_script_is_made_harmless(client_for, citizen, settings, name):
    make, script = HARMLESS[name]
    content = make()
    response = _file_with_photo(client_for(citizen), content)
    assert response.status_code == 201, (name, response.content[:200])
    photo = photos.photo_process(photo_id=response.json()["photos"][0]["id"])

    assert photo.status == Photo.Status.READY
    public = stored_files(Path(settings.MEDIA_ROOT))
    assert sorted(path.suffix for path in public) == [".jpg", ".jpg"]
    for path in public:
        assert script not in path.read_bytes(), path
    # The file as sent is only in private storage, which has no URL.
    private = stored_files(Path(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT))
    assert [path.read_bytes() for path in private] == [content]
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018
    figures.count("hostile files made harmless")
