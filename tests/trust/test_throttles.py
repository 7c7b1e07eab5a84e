"""Abuse limits answer 429 with Retry-After, per account and per address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from signalements.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(monkeypatch):
    def rates(scope: str) -> str:
        return "2/hour"

    monkeypatch.setattr(ScopedRateThrottle, "get_rate", lambda self: rates(self.scope))
    cache.clear()


def report(client):
    return client.post(
        "/api/v1/signalements/",
        {
            "category": Category.objects.get(slug="chaussee-degradee").pk,
            "description": "Nid-de-poule",
            "latitude": 43.67861,
            "longitude": 4.43167,
        },
    )


def test_filing_reports_is_limited_per_account(client_for, citizen, tight):
    client = client_for(citizen)
    assert [report(client).status_code for _ in range(2)] == [201, 201]
    refused = report(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"


def test_login_is_limited_per_address(api, tight):
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"email": "x@example.test", "password": "nope"})
    response = api.post("/api/v1/auth/token/", {"email": "y@example.test", "password": "nope"})
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/auth/register/", {"email": "a@example.test", "password": "x"}),
        ("/api/v1/auth/password/reset/", {"email": "a@example.test"}),
        ("/api/v1/contact/", {"kind": "question", "body": "Bonjour", "email": "a@example.test"}),
    ],
)
def test_anonymous_forms_are_limited_per_address(api, tight, path, payload):
    statuses = [api.post(path, payload).status_code for _ in range(3)]
    assert statuses[-1] == 429, statuses


def test_contributions_and_flags_are_limited(client_for, citizen, other_citizen, tight):
    from contributions.models import CharterReason, Consultation, Contribution

    consultation = Consultation.objects.open().filter(contributions_allowed=True).first()
    client = client_for(citizen)
    url = f"/api/v1/consultations/{consultation.slug}/contributions/"
    statuses = [
        client.post(url, {"kind": "idea", "body": f"Idée {n}"}).status_code for n in range(3)
    ]
    assert statuses[-1] == 429, statuses
    reason = CharterReason.objects.filter(organisation=consultation.organisation).first()
    flagger = client_for(other_citizen)
    targets = Contribution.objects.exclude(author=other_citizen).filter(state="published")[:3]
    flags = [
        flagger.post(f"/api/v1/contributions/{c.pk}/flag/", {"reason": reason.pk}).status_code
        for c in targets
    ]
    assert flags[-1] == 429, flags
