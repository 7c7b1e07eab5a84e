from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.models import Direction, Organisation, User
from contributions.models import Consultation, Theme
from geo.models import Commune


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


# Contributions and moderation --------------------------------------------------------

NIMES = {"type": "Point", "coordinates": [4.3601, 43.8345]}
PARIS = {"type": "Point", "coordinates": [2.3522, 48.8566]}


@pytest.fixture
def open_consultation(make_consultation):
    """A published consultation of the agglomeration, open now, owned by the roads direction."""

    def make(slug: str = "ouverte", **values) -> Consultation:
        values.setdefault("direction", Direction.objects.get(slug="nm-voirie"))
        values.setdefault("comments_allowed", True)
        values.setdefault("moderation_mode", Consultation.Moderation.A_POSTERIORI)
        return make_consultation(slug, is_published=True, **values)

    return make


@pytest.fixture
def reason(agglomeration):
    from contributions.models import CharterReason

    return CharterReason.objects.get(organisation=agglomeration, code="hors-sujet")


@pytest.fixture
def contribute(client_for):
    """Post a contribution as the user; returns the response."""

    def post(user, slug: str, body: str = "Plus d'arbres sur l'avenue.", **data):
        data.setdefault("kind", "idea")
        return client_for(user).post(
            f"/api/v1/consultations/{slug}/contributions/", {"body": body, **data}, format="json"
        )

    return post


@pytest.fixture
def officer(db) -> User:
    """Julien Roche, the agglomeration's participation officer in the demo."""
    return User.objects.get(email="participation@demo.test")
