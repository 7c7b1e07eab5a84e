"""Abuse limits answer 429 with Retry-After, per account and per address."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from backend import services
from backend.demo import DEMO_PASSWORD
from backend.throttling import AnonRateThrottle
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


# Client addresses --------------------------------------------------------------------------


@pytest.fixture
def anon_rate(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/hour")


def organisations(api, **headers):
    return api.get("/api/v1/organisations/", **headers).status_code


def test_a_forged_x_forwarded_for_does_not_escape_the_anonymous_limit(api, anon_rate):
    statuses = [organisations(api, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_forged_x_forwarded_for_does_not_escape_the_login_rate(api, tight):
    for n in range(2):
        api.post(
            "/api/v1/auth/token/",
            {"email": f"x{n}@example.test", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "y@example.test", "password": "nope"},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_a_forged_x_forwarded_for_does_not_escape_the_login_lockout(api, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for n in range(3):
        api.post(
            "/api/v1/auth/token/",
            {"email": "citoyen@demo.test", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "citoyen@demo.test", "password": DEMO_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert response.status_code == 429


def test_behind_one_trusted_proxy_the_last_hop_is_the_client(api, anon_rate, settings):
    settings.TRUSTED_PROXIES = 1
    client = "198.51.100.7"
    forged = [f"203.0.113.{n}, {client}" for n in range(4)]
    assert [organisations(api, HTTP_X_FORWARDED_FOR=chain) for chain in forged] == [
        200,
        200,
        200,
        429,
    ]
    assert organisations(api, HTTP_X_FORWARDED_FOR=f"{client}, 198.51.100.8") == 200


def test_an_ipv6_client_counts_for_its_whole_network(api, anon_rate):
    statuses = [organisations(api, REMOTE_ADDR=f"2001:db8:1:2::{n:x}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert organisations(api, REMOTE_ADDR="2001:db8:1:3::1") == 200


# Public views outside the API --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["services", "requests", "discovery"])
def test_open311_reads_are_limited_per_address_in_open311s_shape(api, anon_rate, fmt, path):
    url = f"/open311/v2/{path}.{fmt}"
    statuses = [api.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    refused = api.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    if fmt == "json":
        [error] = refused.json()
        assert error["code"] == 429
        assert "adresse" in error["description"]
    else:
        root = ET.fromstring(refused.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == "429"


@pytest.mark.parametrize(
    "path", ["/api/v1/consultations/feed.atom", "/api/v1/consultations/calendar.ics"]
)
def test_feeds_and_calendars_are_limited_per_address(api, anon_rate, path):
    assert [api.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(path)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"


def test_the_api_and_the_public_views_share_the_budget_of_an_address(api, anon_rate):
    organisations(api)
    api.get("/api/v1/consultations/feed.atom")
    api.get("/open311/v2/services.json")
    assert organisations(api) == 429


# A cache shared by several processes -------------------------------------------------------


@pytest.fixture
def two_workers():
    """Two cache clients of one Redis, as two server processes have; emptied afterwards."""
    prefix = f"throttle-test-{uuid.uuid4().hex}"
    workers = [RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": prefix}) for _ in range(2)]
    yield workers
    client = workers[0]._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def anonymous_request(address):
    request = RequestFactory().get("/api/v1/organisations/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_two_workers_share_the_counter_of_an_address(two_workers, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/hour")
    request = anonymous_request("192.0.2.10")

    def allowed(cache):
        throttle = AnonRateThrottle()
        throttle.cache = cache
        return throttle.allow_request(request, None)

    first, second = two_workers
    assert [allowed(first), allowed(second), allowed(first), allowed(second)] == [
        True,
        True,
        False,
        False,
    ]


def test_concurrent_requests_on_two_workers_are_all_counted(two_workers, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "40/hour")
    request = anonymous_request("192.0.2.11")

    def allowed(cache):
        throttle = AnonRateThrottle()
        throttle.cache = cache
        return throttle.allow_request(request, None)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(allowed, two_workers * 30))
    assert answers.count(True) == 40


def test_two_workers_share_the_login_lockout(two_workers, monkeypatch, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    first, second = two_workers
    for worker in (first, second, first):
        monkeypatch.setattr(services, "cache", worker)
        services.login_failed(email="citoyen@demo.test")
    monkeypatch.setattr(services, "cache", second)
    assert services.login_lockout_remaining(email="CITOYEN@demo.test") > 0
