"""Two server processes over one Redis share the request limits and the kept figures.

A child process (``python -c`` with Django and its test client, on the test database)
stands for a second app server; the test's own process is the first. Both use the Redis
that production uses for CACHE_URL (backend/throttling.py's check requires one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from tests.helpers import ROOT, child_database_url

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/6"

CHILD = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client()
for _ in range(int(sys.argv[1])):
    response = client.generic(sys.argv[2], sys.argv[3], sys.argv[4], "application/json")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.fixture
def shared_cache(settings):
    """The default cache on Redis under a prefix of its own; emptied afterwards."""
    prefix = f"shared-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    yield prefix
    client = RedisCache(REDIS, {})._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    caches["default"].close()


def other_server(prefix: str, method: str, path: str, body: str = "", times: int = 1) -> dict:
    """The last answer of ``times`` requests made by another process on the same Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "CACHE_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "true",
        "STATS_CACHE_SECONDS": "300",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(times), method, path, body],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_figures_computed_by_one_server_are_served_by_the_other(shared_cache, api, settings):
    settings.STATS_CACHE_SECONDS = 300
    computed = other_server(shared_cache, "GET", "/api/v1/stats/signalements/")
    assert computed["status"] == 200
    served = api.get("/api/v1/stats/signalements/").json()
    assert served["computed_at"] == computed["body"]["computed_at"]
    assert served["total"] == computed["body"]["total"]


def test_a_login_budget_spent_on_one_server_is_spent_on_the_other(shared_cache, api, settings):
    wrong = json.dumps({"email": "personne@demo.test", "password": "pas-le-bon"})
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
    other_server(shared_cache, "POST", "/api/v1/auth/token/", wrong, times=rate)
    answer = api.post("/api/v1/auth/token/", json.loads(wrong), format="json")
    assert answer.status_code == 429


def test_failed_logins_on_one_server_lock_the_account_on_the_other(
    shared_cache, api, settings, citizen
):
    wrong = json.dumps({"email": citizen.email, "password": "pas-le-bon"})
    other_server(
        shared_cache, "POST", "/api/v1/auth/token/", wrong, times=settings.LOGIN_LOCKOUT_ATTEMPTS
    )
    from backend.demo import DEMO_PASSWORD

    answer = api.post(
        "/api/v1/auth/token/", {"email": citizen.email, "password": DEMO_PASSWORD}, format="json"
    )
    assert answer.status_code in (401, 429), answer.content
    assert "access" not in answer.json()
