"""Fixtures of the signalements tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a temporary folder, public and private parts apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT = tmp_path / "private"
