from __future__ import annotations

import pytest

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
