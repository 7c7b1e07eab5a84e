from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from push import outbox, services
from push.models import Delivery, Kind, Status
from tests.fake_fcm import FakeFCM
from tests.helpers import ROOT, child_database_url


def queue(users, count: int) -> None:
    for user in users:
        for index in range(count):
            services.device_register(token=f"{user.pk}-{index}", platform="android", user=user)
    services.notify(users=users, kind=Kind.MY_REPORTS, title={"fr": "Bonjour"}, body={"fr": "..."})


def worker(fake: FakeFCM, *args: str, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "PUSH_BACKEND": "fcm",
        "FCM_ENDPOINT": fake.url,
        "FCM_PROJECT_ID": "agglo-test",
        "PUSH_CLAIM_LEASE_SECONDS": "1",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_worker_killed_mid_batch_leaves_the_rest_to_the_next_with_no_duplicate(
    committed_db, citizen, settings
):
    """Pushes go in concurrent chunks: the chunk in flight at the kill is given up (failed,
    outcome unknown), the chunks not started are sent by the next worker, none twice."""
    chunk = 5
    queue([citizen], 30)
    fake = FakeFCM(delay=0.2).start()
    try:
        first = worker(fake, "push_deliver", PUSH_SEND_CHUNK=str(chunk))
        deadline = time.monotonic() + 60
        # Kill while a chunk has reached FCM and waits for its answers (the fake's delay).
        while len(fake.arrivals) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait()
        time.sleep(0.3)  # the fake finishes the requests of the dead worker
        received_before = len(fake.sends())
        assert 10 <= received_before < 30, "killed mid-batch"

        time.sleep(1.2)  # the dead worker's lease runs out
        second = worker(fake, "push_deliver", PUSH_SEND_CHUNK=str(chunk))
        assert second.wait(timeout=120) == 0, second.stderr.read()
    finally:
        fake.stop()

    tokens = [request.target for request in fake.sends()]
    assert len(tokens) == len(set(tokens)), "no device got it twice"
    assert len(tokens) > received_before, "the next worker sent what the first had not started"
    status_of = dict(Delivery.objects.values_list("device__token", "status"))
    sent = {token for token, status in status_of.items() if status == Status.SENT}
    failed = {token for token, status in status_of.items() if status == Status.FAILED}
    assert len(sent) + len(failed) == 30, "none left pending, none lost"
    assert 1 <= len(failed) <= chunk, "the chunk in flight, and only it, is given up"
    assert sent <= set(tokens), "a delivery marked sent reached FCM"
    for delivery in Delivery.objects.filter(status=Status.FAILED):
        assert delivery.last_error == outbox.UNKNOWN_OUTCOME


def test_a_real_task_worker_sends_what_notify_queued(committed_db, citizen):
    queue([citizen], 2)
    fake = FakeFCM().start()
    try:
        process = worker(fake, "db_worker", "--batch", "--no-startup-delay")
        assert process.wait(timeout=120) == 0, process.stderr.read()
    finally:
        fake.stop()
    assert sorted(r.target for r in fake.sends()) == [f"{citizen.pk}-0", f"{citizen.pk}-1"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
