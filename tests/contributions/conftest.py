from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.models import Direction, Organisation
from contributions.models import Consultation, Theme
from geo.models import Commune
from tests.fake_fcm import FakeFCM


@pytest.fixture
def fake_fcm(settings):
    """The real firebase-admin, pointed at a fake FCM on 127.0.0.1."""
    fake = FakeFCM().start()
    settings.PUSH_BACKEND = "fcm"
    settings.FCM_PROJECT_ID = "agglo-test"
    settings.FCM_ENDPOINT = fake.url
    settings.PUSH_RETRY_BASE_SECONDS = 30
    settings.FCM_RETRY_BACKOFF = 0.01
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded documents go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agglomeration(db) -> Organisation:
    return Organisation.objects.get(slug="nimes-metropole")


@pytest.fixture
def make_consultation(db, agglomeration):
    """A consultation of the agglomeration, a draft unless told, open since yesterday."""

    def make(slug: str = "test-consultation", **values) -> Consultation:
        now = timezone.now()
        communes = values.pop("communes", ["30189"])
        themes = values.pop("themes", [])
        defaults = {
            "organisation": agglomeration,
            "direction": Direction.objects.get(slug="nm-transports"),
            "title": "Réaménagement de l'avenue Jean-Jaurès",
            "summary": "Une avenue plus verte et plus sûre.",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
            **values,
        }
        consultation = Consultation.objects.create(slug=slug, **defaults)
        consultation.communes.set(Commune.objects.filter(insee_code__in=communes))
        consultation.themes.set(Theme.objects.filter(slug__in=themes))
        return consultation

    return make
