"""Photos as today's phones take them: very high resolutions and JPEGs carrying more images."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from signalements import images


def _jpeg(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").resize(size).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


@pytest.mark.parametrize("size", [(8160, 6144), (16320, 12240)], ids=["50MP", "200MP"])
def test_a_high_resolution_phone_jpeg_is_accepted(size):
    inspected = images.inspect_upload(io.BytesIO(_jpeg(size)), name="photo.jpg")

    assert (inspected.width, inspected.height) == size


def test_its_derivatives_are_made_at_a_reduced_scale():
    derivatives = images.make_derivatives(io.BytesIO(_jpeg((8160, 6144))))

    assert max(derivatives.width, derivatives.height) == images.LARGE_SIZE


def test_a_jpeg_carrying_depth_and_gain_maps_is_accepted():
    frames = [Image.new("RGB", (640, 480), colour) for colour in ("red", "gray", "black", "white")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="MPO", save_all=True, append_images=frames[1:])

    inspected = images.inspect_upload(io.BytesIO(buffer.getvalue()), name="portrait.jpg")

    assert inspected.format == "MPO"


def test_an_animated_png_is_still_refused():
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:])

    with pytest.raises(ValidationError):
        images.inspect_upload(io.BytesIO(buffer.getvalue()), name="anim.png")


def test_a_png_beyond_its_own_limit_is_refused():
    # PNG is decoded in full: its limit stays at MAX_PIXELS.
    buffer = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buffer, format="PNG")

    with pytest.raises(ValidationError, match="50"):
        images.inspect_upload(io.BytesIO(buffer.getvalue()), name="big.png")
