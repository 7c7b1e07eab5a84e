"""Fixtures of the Open311 tests: API keys of the agglomeration and of a commune."""

from __future__ import annotations

import pytest

from backend.models import Organisation
from signalements.open311 import services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a temporary folder, public and private parts apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def agglomeration(db) -> Organisation:
    return Organisation.objects.get(slug="nimes-metropole")


@pytest.fixture
def client_key(agglomeration) -> str:
    """A key of a client that files reports (a third-party app)."""
    _key, raw = services.api_key_create(organisation=agglomeration, name="Appli tierce")
    return raw


@pytest.fixture
def update_key(agglomeration) -> str:
    """Another agglomeration key, allowed to push status changes."""
    _key, raw = services.api_key_create(
        organisation=agglomeration, name="GMAO agglo", can_update=True
    )
    return raw
