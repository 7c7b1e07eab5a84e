"""Push deliveries go to FCM in concurrent chunks, with a fixed number of queries per chunk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.models import User
from push import fcm, outbox, services
from push.models import Delivery, Device, Kind, Status
from tests.fake_fcm import UNAVAILABLE, UNREGISTERED, Reply, quota_exceeded

pytestmark = pytest.mark.django_db


def notify(users) -> None:
    services.notify(
        users=users,
        kind=Kind.MY_REPORTS,
        title={"fr": "Votre signalement avance", "en": "Your report moves on"},
        body={"fr": "Il est pris en compte."},
        link_type="signalement",
        link_id=7,
    )


def people_with_a_phone(count: int, prefix: str) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{index}@example.test", password="!", language="fr")
            for index in range(count)
        ]
    )
    Device.objects.bulk_create(
        [Device(token=f"{prefix}-{user.pk}", platform="android", user=user) for user in users]
    )
    return users


def statements(captured: CaptureQueriesContext) -> int:
    """SQL statements, not counting the savepoints of the test's transaction."""
    return sum(
        not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        for query in captured.captured_queries
    )


def test_the_queries_of_a_batch_do_not_grow_with_its_deliveries(fake_fcm, settings):
    settings.PUSH_SEND_CHUNK = 100
    queries = {}
    for count in (3, 60):
        notify(people_with_a_phone(count, f"n{count}"))
        with CaptureQueriesContext(connection) as captured:
            assert outbox.deliver_due(batch_size=100) == count
        queries[count] = statements(captured)
    assert queries[3] == queries[60], queries
    assert queries[60] <= 10, "claim, load, mark sending, record sent; two per empty outbox"
    assert Delivery.objects.filter(status=Status.SENT).count() == 63
    assert len({request.target for request in fake_fcm.sends()}) == 63


def test_a_chunk_costs_a_fixed_number_of_queries(fake_fcm, settings):
    settings.PUSH_SEND_CHUNK = 10
    notify(people_with_a_phone(10, "one"))
    with CaptureQueriesContext(connection) as one_chunk:
        outbox.deliver_due(batch_size=100)
    notify(people_with_a_phone(40, "four"))
    with CaptureQueriesContext(connection) as four_chunks:
        outbox.deliver_due(batch_size=100)
    per_chunk = (statements(four_chunks) - statements(one_chunk)) / 3
    assert per_chunk <= 2, "mark the chunk sending, record its sends"
    assert Delivery.objects.filter(status=Status.SENT).count() == 50


def test_mixed_outcomes_in_one_chunk_are_each_recorded(fake_fcm, citizen, monkeypatch):
    calls = []
    send_many = fcm.send_many
    monkeypatch.setattr(
        fcm, "send_many", lambda payloads: calls.append(len(payloads)) or send_many(payloads)
    )
    tokens = ["ok-0", "ok-1", "ok-2", "gone", "busy", "slow", "off"]
    for token in tokens:
        services.device_register(token=token, platform="android", user=citizen)
    for token in ["ok-0", "ok-1", "ok-2"]:
        fake_fcm.answer(token, Reply(200, {"name": f"projects/p/messages/for-{token}"}))
    fake_fcm.answer("gone", UNREGISTERED)
    fake_fcm.answer("busy", *[UNAVAILABLE] * 5)  # the library's own retries give up
    fake_fcm.answer("slow", quota_exceeded(600))
    notify([citizen])
    outbox.device_deactivate(device_id=Device.objects.get(token="off").pk, reason="gone")

    assert outbox.deliver_due() == len(tokens)

    assert calls == [6], "one call for the chunk; the inactive device is not sent to"
    rows = {d.device.token: d for d in Delivery.objects.select_related("device")}
    for token in ["ok-0", "ok-1", "ok-2"]:
        row = rows[token]
        assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
        assert row.message_id == f"projects/p/messages/for-{token}", "each its own id"
        assert row.sent_at is not None
    assert rows["gone"].status == Status.DEAD
    assert "Unregistered" in rows["gone"].last_error
    assert not Device.objects.get(token="gone").is_active
    assert Device.objects.get(token="ok-0").is_active
    now = timezone.now()
    busy = rows["busy"]
    assert (busy.status, busy.attempts, busy.message_id) == (Status.PENDING, 1, "")
    assert now + timedelta(seconds=25) < busy.next_attempt_at < now + timedelta(seconds=35)
    assert "Unavailable" in busy.last_error
    slow = rows["slow"]
    assert (slow.status, slow.attempts) == (Status.PENDING, 1)
    assert slow.next_attempt_at >= now + timedelta(seconds=590)
    assert (rows["off"].status, rows["off"].last_error) == (Status.SKIPPED, "device inactive")
    assert sorted(r.target for r in fake_fcm.sends() if r.target != "busy") == sorted(
        ["ok-0", "ok-1", "ok-2", "gone", "slow"]
    )
    assert outbox.deliver_due() == 0, "the retries wait for their time"


def test_one_bad_row_does_not_stop_its_chunk(fake_fcm, citizen, monkeypatch):
    for token in ["a1", "a2", "a3"]:
        services.device_register(token=token, platform="android", user=citizen)
    notify([citizen])
    bad = Delivery.objects.get(device__token="a2").pk
    plan_of = outbox._delivery_push

    def broken(delivery):
        if delivery.pk == bad:
            raise RuntimeError("corrupt row")
        return plan_of(delivery)

    monkeypatch.setattr(
        outbox,
        "_OUTBOXES",
        [(Delivery, ("notification__user", "device"), broken, outbox._send_delivery)],
    )
    assert outbox.deliver_due() == 3
    status_of = dict(Delivery.objects.values_list("device__token", "status"))
    assert status_of == {"a1": Status.SENT, "a2": Status.PENDING, "a3": Status.SENT}
    assert "corrupt row" in Delivery.objects.get(pk=bad).last_error


def test_a_failing_call_leaves_its_chunk_to_a_later_retry(fake_fcm, citizen, monkeypatch):
    for token in ["a1", "a2"]:
        services.device_register(token=token, platform="android", user=citizen)
    notify([citizen])

    def down(payloads):
        raise ConnectionError("no route")

    monkeypatch.setattr(fcm, "send_many", down)
    assert outbox.deliver_due() == 2
    rows = list(Delivery.objects.all())
    assert {(row.status, row.attempts) for row in rows} == {(Status.PENDING, 1)}
    assert all("no route" in row.last_error for row in rows)


def test_email_deliveries_still_go_one_by_one_beside_the_pushes(fake_fcm, citizen, mailoutbox):
    services.preferences_update(
        preferences=services.preferences_of(user=citizen),
        channels={"my_reports": ["push", "email"]},
    )
    services.device_register(token="a1", platform="android", user=citizen)
    notify([citizen])
    assert outbox.deliver_due() == 2
    assert [r.target for r in fake_fcm.sends()] == ["a1"]
    assert len(mailoutbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
