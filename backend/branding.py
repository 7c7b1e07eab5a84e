"""A city's brand on its apps (name, colours, logo), from settings: no code to touch.

``APP_NAME``, ``APP_SHORT_NAME``, ``APP_COLOR`` (the bar, buttons and links, behind white
text), ``APP_BACKGROUND_COLOR`` and ``APP_LOGO`` (a path to a square-ish PNG or JPEG image
of at least 512 px; the app's own icon when empty). The map tiles are ``MAP_TILES_URL``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core import checks
from PIL import Image, UnidentifiedImageError

ICON_SIZES = (192, 512)
DEFAULT_ICON = Path(__file__).resolve().parent.parent / "web" / "app" / "resident" / "icons"
HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Branding:
    name: str
    short_name: str
    color: str
    background_color: str
    logo: str


def current() -> Branding:
    return Branding(
        name=settings.APP_NAME,
        short_name=settings.APP_SHORT_NAME or settings.APP_NAME,
        color=settings.APP_COLOR,
        background_color=settings.APP_BACKGROUND_COLOR,
        logo=settings.APP_LOGO,
    )


def icon_png(size: int) -> bytes:
    """The app's icon, ``size`` pixels square: the city's logo centred on its background."""
    brand = current()
    if not brand.logo:
        return (DEFAULT_ICON / f"icon-{size}.png").read_bytes()
    path = Path(brand.logo)
    return _logo_icon(str(path), path.stat().st_mtime_ns, size, brand.background_color)


@lru_cache(maxsize=8)
def _logo_icon(path: str, mtime: int, size: int, background: str) -> bytes:
    with Image.open(path) as logo:
        logo = logo.convert("RGBA")
        # A maskable icon keeps its content in the central 80 %: the logo fits there.
        logo.thumbnail((int(size * 0.8), int(size * 0.8)), Image.Resampling.LANCZOS)
        icon = Image.new("RGBA", (size, size), background)
        icon.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
    out = io.BytesIO()
    icon.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of white text on ``color``."""
    return 1.05 / (_luminance(color) + 0.05)


def check_branding(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Refuse at start a brand the apps could not show: bad colours, a logo that is no image."""
    brand = current()
    errors: list[checks.CheckMessage] = []
    colours = {"APP_COLOR": brand.color, "APP_BACKGROUND_COLOR": brand.background_color}
    for name, value in colours.items():
        if not HEX_COLOR.fullmatch(value):
            message = f"{name} must be a colour as #rrggbb, not {value!r}."
            errors.append(checks.Error(message, id="branding.E001"))
    if not errors and contrast_with_white(brand.color) < 4.5:
        errors.append(
            checks.Error(
                f"APP_COLOR {brand.color} is too light behind white text "
                f"(contrast {contrast_with_white(brand.color):.1f}:1, WCAG AA asks 4.5:1).",
                id="branding.E002",
            )
        )
    if brand.logo:
        try:
            with Image.open(brand.logo) as logo:
                logo.verify()
        except (OSError, UnidentifiedImageError) as error:
            message = f"APP_LOGO {brand.logo!r} is not a readable image: {error}"
            errors.append(checks.Error(message, id="branding.E003"))
    return errors
