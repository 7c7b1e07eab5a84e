"""Shared fixtures: the demo territory loaded once, and the personas of the suite.

Personas follow the demo accounts: ``citizen`` (the owner of what they create),
``other_citizen`` (a stranger), agents and managers of directions, a moderator
and an organisation admin.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.dispatch import Signal
from rest_framework.test import APIClient

from backend.models import User
from tests.fake_fcm import FakeFCM


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def _is_connected(signal: Signal, receiver: Callable[..., object]) -> bool:
    if signal.disconnect(receiver):
        signal.connect(receiver)
        return True
    return False


@pytest.fixture(autouse=True)
def _request_signals_untouched():
    """A test that detaches Django's connection handling from requests puts it back."""
    yield
    left = [
        s
        for s in (request_started, request_finished)
        if not _is_connected(s, close_old_connections)
    ]
    for signal in left:
        signal.connect(close_old_connections)  # so that one faulty test spoils no other
    assert not left, "close_old_connections was left disconnected from request signals"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a temporary folder, public and private parts apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def connections_kept_open():
    """Keep the test's database connection open across the requests of the WSGI app.

    Django's test client does the same around each of its requests: ``close_old_connections``
    would otherwise close the connection that holds the test's transaction. The receivers
    are connected again afterwards, whatever the outcome, so no later test runs without them.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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


@pytest.fixture
def committed_db(transactional_db):
    """Committed data, visible to worker processes the test starts.

    pytest-django runs these tests last and empties the tables after each one,
    so the demo data is loaded again first.
    """
    call_command("load_demo", verbosity=0)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(db) -> Callable[[User | None], APIClient]:
    """An API client authenticated as the given user (anonymous for None)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def _demo(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def citizen(db) -> User:
    return _demo("citoyen@demo.test")


@pytest.fixture
def other_citizen(db) -> User:
    return User.objects.create_user(
        "voisin@example.test", "Voisin-Password-2026", first_name="Jean", last_name="Voisin"
    )


@pytest.fixture
def agent_voirie(db) -> User:
    return _demo("agent.voirie@demo.test")


@pytest.fixture
def manager_voirie(db) -> User:
    return _demo("manager.voirie@demo.test")


@pytest.fixture
def agent_eau(db) -> User:
    return _demo("agent.eau@demo.test")


@pytest.fixture
def moderator(db) -> User:
    return _demo("moderation@demo.test")


@pytest.fixture
def org_admin(db) -> User:
    return _demo("admin@demo.test")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what the trust tests covered (endpoints x roles, fuzz cases, hostile files)."""
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("trust figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")
