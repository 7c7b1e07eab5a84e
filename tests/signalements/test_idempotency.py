from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from signalements import services
from signalements.models import IdempotencyKey, Signalement
from tests.signalements.factories import NIMES, category, jpeg_upload

URL = "/api/v1/signalements/"


def _body(description: str = "Fuite devant l'école.") -> dict:
    return {
        "category": category("fuite-d-eau").pk,
        "description": description,
        "latitude": NIMES[0],
        "longitude": NIMES[1],
        "answers": {"emplacement": "chaussee"},
    }


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_response(client_for, citizen):
    client = client_for(citizen)
    first = client.post(URL, _body(), HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(URL, _body(), HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Signalement.objects.filter(description="Fuite devant l'école.").count() == 1


@pytest.mark.django_db
def test_a_multipart_retry_does_not_store_the_photos_twice(client_for, citizen):
    client = client_for(citizen)
    data = {
        "category": category("depot-sauvage").pk,
        "description": "Gravats",
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
    }
    first = client.post(
        URL, {**data, "photos": [jpeg_upload()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="m-1"
    )
    retry = client.post(
        URL, {**data, "photos": [jpeg_upload()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="m-1"
    )
    assert retry.json() == first.json()
    assert Signalement.objects.get(pk=first.json()["id"]).photos.count() == 1


@pytest.mark.django_db
def test_without_a_key_two_posts_make_two_reports(client_for, citizen):
    client = client_for(citizen)
    client.post(URL, _body())
    client.post(URL, _body())
    assert Signalement.objects.filter(description="Fuite devant l'école.").count() == 2


@pytest.mark.django_db
def test_keys_belong_to_one_user(client_for, citizen, other_citizen):
    client_for(citizen).post(URL, _body(), HTTP_IDEMPOTENCY_KEY="shared")
    other = client_for(other_citizen).post(URL, _body(), HTTP_IDEMPOTENCY_KEY="shared")
    assert other.status_code == 201
    assert Signalement.objects.filter(description="Fuite devant l'école.").count() == 2


@pytest.mark.django_db
def test_a_refused_request_does_not_burn_the_key(client_for, citizen):
    client = client_for(citizen)
    refused = client.post(URL, {**_body(), "answers": {}}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
    fixed = client.post(URL, _body(), HTTP_IDEMPOTENCY_KEY="k-2")
    assert fixed.status_code == 201


def test_two_retries_racing_with_the_same_key_make_one_report(
    committed_db, client_for, citizen, monkeypatch
):
    body = _body("Course de deux requêtes")
    create = services.signalement_create
    calls = []

    def slow_create(**kwargs):
        # Hold the first transaction open so that the second request really overlaps it.
        calls.append(1)
        time.sleep(0.5)
        return create(**kwargs)

    monkeypatch.setattr(services, "signalement_create", slow_create)
    barrier = threading.Barrier(2)
    responses = []

    def send() -> None:
        client = client_for(citizen)
        try:
            barrier.wait(timeout=10)
            responses.append(client.post(URL, body, HTTP_IDEMPOTENCY_KEY="race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [response.status_code for response in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert Signalement.objects.filter(description="Course de deux requêtes").count() == 1
    assert IdempotencyKey.objects.filter(key="race-1").count() == 1
    # The second request waited on the key and never started the work.
    assert len(calls) == 1
