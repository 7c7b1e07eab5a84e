from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from push import services
from push.models import Delivery, Kind, Status
from tests.fake_fcm import FakeFCM
from tests.helpers import ROOT, child_database_url


def queue(users, count: int) -> None:
    for user in users:
        for index in range(count):
            services.device_register(token=f"{user.pk}-{index}", platform="android", user=user)
    services.notify(users=users, kind=Kind.MY_REPORTS, title={"fr": "Bonjour"}, body={"fr": "..."})


def worker(fake: FakeFCM, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "PUSH_BACKEND": "fcm",
        "FCM_ENDPOINT": fake.url,
        "FCM_PROJECT_ID": "agglo-test",
        "PUSH_CLAIM_LEASE_SECONDS": "1",
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
    queue([citizen], 30)
    fake = FakeFCM(delay=0.05).start()
    try:
        first = worker(fake, "push_deliver")
        deadline = time.monotonic() + 60
        while len(fake.sends()) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        received_before = len(fake.sends())
        assert 10 <= received_before < 30, "killed mid-batch"

        time.sleep(1.2)  # the dead worker's lease runs out
        second = worker(fake, "push_deliver")
        assert second.wait(timeout=120) == 0, second.stderr.read()
    finally:
        fake.stop()

    tokens = [request.target for request in fake.sends()]
    assert len(tokens) == len(set(tokens)), "no device got it twice"
    statuses = list(Delivery.objects.values_list("status", flat=True))
    assert statuses.count(Status.SENT) >= 29
    assert statuses.count(Status.SENT) + statuses.count(Status.FAILED) == 30
    for delivery in Delivery.objects.filter(status=Status.FAILED):
        assert delivery.last_error == services.UNKNOWN_OUTCOME


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
