"""The scale-out story tried on one machine: two app servers and two task workers over one
PostgreSQL, one Redis and one S3-protocol server, behind nginx, under the mixed load of
50 residents and an agent; one app server and one task worker are killed (SIGKILL, as a
machine that stops) mid-run and started again.

Then it checks what the load left: every report acknowledged to a resident exists once,
every photo has its original in the private bucket and its derivatives in the public one,
every notification of a status change reached the fake FCM once; and it reports the error
rate seen by the clients and how long each recovery took. Results go to
bench/results/cluster.json and to the "Cluster" section of bench/RESULTS.md.

Run by ``make bench-cluster`` (and at the end of ``make bench``). Only 127.0.0.1 is used.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Http, json_of, map_path, multipart, summary  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("CLUSTER_DB", "agglo_cluster")
REDIS_URL = os.environ.get("CLUSTER_REDIS", "redis://127.0.0.1:6379/5")
REPORTS = int(os.environ.get("CLUSTER_REPORTS", "10000"))
USERS = int(os.environ.get("CLUSTER_USERS", "50"))
LOAD_SECONDS = float(os.environ.get("CLUSTER_SECONDS", "120"))
DRAIN_SECONDS = float(os.environ.get("CLUSTER_DRAIN_SECONDS", "300"))
# Leases of the task workers: a crashed worker's photo or push rows are taken up after this.
LEASE_SECONDS = int(os.environ.get("CLUSTER_LEASE_SECONDS", "20"))
# (second of the run, what happens)
TIMELINE = [
    (0.25, "kill app-1"),
    (0.375, "start app-1"),
    (0.5, "kill worker-1"),
    (0.625, "start worker-1"),
]
# Where the roads of the agglomeration (agent.voirie's direction) answer: Saint-Gilles.
SAINT_GILLES = (43.67861, 4.43167)
# Of the residents' creations, this share carries a 3-megapixel photo.
PHOTO_SHARE = 0.4
RUN = ROOT / "var" / "cluster"
BUCKETS = ("agglo-cluster-public", "agglo-cluster-private")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORTS = {name: free_port() for name in ("app-1", "app-2", "proxy", "s3")}

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DATABASE_URL": f"postgis://{PG}/{DB_NAME}",
        "DATABASE_POOL": "true",
        "DEBUG": "false",
        "SECRET_KEY": "cluster-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDE",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "1",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": "cluster",
        "THROTTLE_ANON": "10000000/min",
        "THROTTLE_USER": "10000000/min",
        # The load's residents file far more reports than a person may (30 an hour).
        "THROTTLE_SIGNALEMENT": "10000000/min",
        "ACCESS_TOKEN_MINUTES": "240",
        "LOG_LEVEL": "WARNING",
        "FAST_PASSWORD_HASHER": "true",
        "PUSH_BACKEND": "fcm",
        "FCM_PROJECT_ID": "agglo-cluster",
        "FCM_RETRY_BACKOFF": "0.01",
        "PUSH_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "SIGNALEMENT_PHOTO_LEASE_SECONDS": str(LEASE_SECONDS),
        "STORAGE": "s3",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{PORTS['s3']}",
        "S3_ACCESS_KEY_ID": "cluster",
        "S3_SECRET_ACCESS_KEY": "cluster-secret",
        "S3_PUBLIC_BUCKET": BUCKETS[0],
        "S3_PRIVATE_BUCKET": BUCKETS[1],
        "STATIC_ROOT": str(RUN / "static"),
    }
)


# Processes ------------------------------------------------------------------------------------


@dataclass
class Node:
    """One process of the cluster, in a session of its own so that a kill takes its children."""

    name: str
    args: list[str]
    log: Path
    process: subprocess.Popen | None = None
    starts: list[float] = field(default_factory=list)
    kills: list[float] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.args, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        self.starts.append(time.time())

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.kills.append(time.time())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def python(*args: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "python"), *args]


def app_server(name: str) -> Node:
    args = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "backend.wsgi:application",
        f"--bind=127.0.0.1:{PORTS[name]}",
        "--workers=2",
        "--worker-class=gthread",
        "--threads=4",
        "--timeout=120",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    return Node(name, args, RUN / f"{name}.log")


def task_worker(name: str) -> Node:
    args = python("manage.py", "db_worker", "--no-startup-delay", f"--worker-id={name}")
    return Node(name, args, RUN / f"{name}.log")


def wait_for(port: int, path: str = "/healthz", seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if Http(port).call("GET", path)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port}{path}")


def nginx_config() -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"  {kind}_temp_path {RUN / 'nginx' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {RUN / "nginx.pid"};
error_log {RUN / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
  log_format cluster '$msec $status $request_time "$upstream_addr"';
  access_log {RUN / "access.log"} cluster;
  client_max_body_size 80m;
  upstream app {{
    # A server is left out for 5 s after 3 failures; one failure could be an idle kept-alive
    # connection closed by gunicorn as nginx reused it, which takes the healthy server out too.
    server 127.0.0.1:{PORTS["app-1"]} max_fails=3 fail_timeout=5s;
    server 127.0.0.1:{PORTS["app-2"]} max_fails=3 fail_timeout=5s;
    keepalive 64;
    # Idle connections are dropped by nginx before gunicorn's --keep-alive (30 s) would.
    keepalive_timeout 20s;
  }}
  server {{
    listen 127.0.0.1:{PORTS["proxy"]};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A request nginx could not hand to one server goes to the other; one already
      # sent is not replayed (a POST is the client's to retry, with its Idempotency-Key).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


def nginx() -> Node:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    (RUN / "nginx").mkdir(parents=True, exist_ok=True)
    conf = RUN / "nginx.conf"
    conf.write_text(nginx_config(), encoding="utf-8")
    args = [binary, "-e", str(RUN / "nginx-error.log"), "-c", str(conf), "-g", "daemon off;"]
    return Node("proxy", args, RUN / "proxy.log")


# The world ------------------------------------------------------------------------------------


def prepare_database() -> None:
    def pg(sql: str) -> None:
        subprocess.run(["psql", "-q", f"postgresql://{PG}/postgres", "-c", sql], check=True)

    pg(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    pg(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(python("manage.py", "migrate", "--noinput", "-v", "0"), cwd=ROOT, check=True)
    subprocess.run(python("manage.py", "load_demo", "-v", "0"), cwd=ROOT, check=True)
    subprocess.run(
        [
            "psql",
            "-q",
            f"postgresql://{PG}/{DB_NAME}",
            "-v",
            f"n={REPORTS}",
            "-f",
            str(ROOT / "bench" / "seed_reports.sql"),
        ],
        check=True,
    )


def s3_client() -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",
        region_name="us-east-1",
    )


def prepare_buckets() -> None:
    s3 = s3_client()
    for bucket in BUCKETS:
        s3.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKETS[0]}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKETS[0], Policy=json.dumps(policy))


def bucket_keys(bucket: str) -> set[str]:
    s3, keys, token = s3_client(), set(), None
    while True:
        page = s3.list_objects_v2(Bucket=bucket, **({"ContinuationToken": token} if token else {}))
        keys.update(item["Key"] for item in page.get("Contents", []))
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


def residents() -> tuple[list[Any], list[str]]:
    from rest_framework_simplejwt.tokens import RefreshToken

    from backend.models import User

    users = [
        User.objects.get_or_create(
            email=f"cluster-{index}@bench.test",
            defaults={"first_name": "Habitant", "last_name": str(index)},
        )[0]
        for index in range(USERS)
    ]
    return users, [str(RefreshToken.for_user(user).access_token) for user in users]


def agent_token() -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    from backend.models import User

    agent = User.objects.get(email="agent.voirie@demo.test")
    return str(RefreshToken.for_user(agent).access_token)


# The load -------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients saw: every attempt, and what they were told was done."""

    attempts: list[tuple[float, str, str]] = field(default_factory=list)  # at, name, outcome
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    filed: dict[str, int] = field(default_factory=dict)  # Idempotency-Key -> report id
    given_up: list[str] = field(default_factory=list)
    with_photo: set[int] = field(default_factory=set)
    moved: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    to_move: queue.Queue = field(default_factory=queue.Queue)

    def record(self, name: str, status: int | None, elapsed: float, error: str = "") -> None:
        outcome = "ok" if status is not None and status < 400 else (error or f"HTTP {status}")
        with self.lock:
            self.attempts.append((time.time(), name, outcome))
            if outcome == "ok":
                self.latencies[name].append(elapsed)


def attempt(
    ledger: Ledger,
    client: Http,
    name: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int | None, bytes]:
    try:
        status, elapsed, data = client.call(method, path, body, headers)
    except Exception as error:  # the connection itself failed: what a phone sees
        ledger.record(name, None, 0.0, type(error).__name__)
        client.conn.close()
        return None, b""
    ledger.record(name, status, elapsed)
    return status, data


def file_report(
    ledger: Ledger, client: Http, rng: random.Random, token: str, photo: bytes, category: int
) -> None:
    """A resident files a report as the app does: one key, retried until it is answered."""
    key = str(uuid.UUID(int=rng.getrandbits(128)))
    fields = {
        "category": str(category),
        "latitude": f"{SAINT_GILLES[0] + rng.uniform(-0.005, 0.005):.6f}",
        "longitude": f"{SAINT_GILLES[1] + rng.uniform(-0.005, 0.005):.6f}",
        "description": f"Chaussée déformée (cluster {key})",
    }
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    carries_photo = rng.random() < PHOTO_SHARE
    if carries_photo:
        body, content_type = multipart(fields, [("photos", "IMG_0001.jpg", photo)])
    else:
        body, content_type = json.dumps(fields).encode(), "application/json"
    headers["Content-Type"] = content_type
    for retry in range(10):
        status, data = attempt(
            ledger, client, "create", "POST", "/api/v1/signalements/", body, headers
        )
        if status == 201:
            report = json_of(data)["id"]
            with ledger.lock:
                ledger.filed[key] = report
                if carries_photo:
                    ledger.with_photo.add(report)
            ledger.to_move.put(report)
            return
        if status is not None and status < 500:
            break
        time.sleep(0.5 * (retry + 1))
    with ledger.lock:
        ledger.given_up.append(key)


def resident(
    ledger: Ledger, seed: int, token: str, ids: list[int], photo: bytes, category: int, until: float
) -> None:
    rng = random.Random(seed)
    client = Http(PORTS["proxy"])
    auth = {"Authorization": f"Bearer {token}"}
    zooms = [11, 13, 13, 14, 15, 15, 16, 17]
    choices = [("map", 35), ("list", 20), ("detail", 20), ("inbox", 15), ("categories", 5)]
    names, weights = zip(*choices, strict=True)
    while time.time() < until:
        if rng.random() < 0.05:
            file_report(ledger, client, rng, token, photo, category)
        else:
            name = rng.choices(names, weights)[0]
            path, headers = {
                "map": (map_path(rng, rng.choice(zooms)), {}),
                "list": ("/api/v1/signalements/?page_size=20", {}),
                "detail": (f"/api/v1/signalements/{rng.choice(ids)}/", {}),
                "inbox": ("/api/v1/notifications/", auth),
                "categories": ("/api/v1/categories/", {}),
            }[name]
            attempt(ledger, client, name, "GET", path, None, headers)
        time.sleep(rng.uniform(0, 0.5))


def agent(ledger: Ledger, token: str, until: float) -> None:
    """The roads agent acknowledges every report filed during the run, as it comes."""
    client = Http(PORTS["proxy"])
    auth = {"Authorization": f"Bearer {token}"}
    body = json.dumps({"status": "pris_en_compte", "public_message": "Équipe prévenue."}).encode()
    headers = {**auth, "Content-Type": "application/json"}
    while time.time() < until + 10:
        try:
            report = ledger.to_move.get(timeout=1)
        except queue.Empty:
            continue
        for retry in range(10):
            path = f"/api/v1/agent/signalements/{report}/transition/"
            status, _ = attempt(ledger, client, "agent transition", "POST", path, body, headers)
            if status == 200:
                break
            # A move the workflow refuses (409) after a lost answer means it was made.
            if status is not None and status < 500:
                detail = f"/api/v1/agent/signalements/{report}/"
                seen, data = attempt(ledger, client, "agent detail", "GET", detail, None, auth)
                if seen == 200 and json_of(data)["status"] == "pris_en_compte":
                    break
            time.sleep(0.5 * (retry + 1))
        else:
            continue
        with ledger.lock:
            ledger.moved.add(report)


def register_devices(tokens: list[str]) -> None:
    client = Http(PORTS["proxy"])
    for index, token in enumerate(tokens):
        body = json.dumps({"token": f"cluster-device-{index}", "platform": "android"}).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _elapsed, data = client.call("POST", "/api/v1/devices/", body, headers)
        assert status in (200, 201), (status, data[:200])


# Checking -------------------------------------------------------------------------------------


def run_reports() -> Any:
    from signalements.models import Signalement

    return Signalement.objects.filter(description__contains="(cluster ")


def pending(ledger: Ledger, users: list[Any]) -> tuple[int, int]:
    from push.models import Delivery, Status
    from signalements.models import Photo

    photos = Photo.objects.filter(
        signalement__in=run_reports(), status=Photo.Status.PROCESSING
    ).count()
    deliveries = (
        Delivery.objects.filter(notification__user__in=users)
        .filter(status__in=[Status.PENDING, Status.SENDING])
        .count()
    )
    return photos, deliveries


def drain(ledger: Ledger, users: list[Any]) -> dict[str, Any]:
    """Wait for the workers to finish; as the scheduler's five-minute safety net would, queue
    the photo sweep and a push delivery once the dead worker's leases have run out."""
    from push.tasks import deliver
    from signalements.tasks import sweep_photos

    started = time.time()
    swept = 0
    while time.time() < started + DRAIN_SECONDS:
        photos, deliveries = pending(ledger, users)
        if not photos and not deliveries:
            break
        if time.time() - started > LEASE_SECONDS and swept < time.time() - LEASE_SECONDS:
            sweep_photos.enqueue()
            deliver.enqueue()
            swept = time.time()
        time.sleep(1)
    photos, deliveries = pending(ledger, users)
    return {
        "seconds": round(time.time() - started, 1),
        "photos_left_processing": photos,
        "deliveries_left": deliveries,
    }


def check(ledger: Ledger, users: list[Any], fcm_port: int) -> dict[str, Any]:
    from django.db.models import Count

    from push.models import Delivery, Notification, Status
    from push.outbox import UNKNOWN_OUTCOME
    from signalements.models import Photo

    reports = run_reports()
    per_key = Counter(
        description.rsplit("(cluster ", 1)[1].rstrip(")")
        for description in reports.values_list("description", flat=True)
    )
    filed_ids = set(ledger.filed.values())
    public, private = bucket_keys(BUCKETS[0]), bucket_keys(BUCKETS[1])
    photos = list(Photo.objects.filter(signalement__in=reports))
    ready = [p for p in photos if p.status == Photo.Status.READY]
    stored = [
        p
        for p in ready
        if p.original.name in private and {p.large.name, p.thumbnail.name} <= public
    ]
    notifications = Notification.objects.filter(
        user__in=users, link_type="signalement", link_id__in=[str(i) for i in ledger.moved]
    )
    told = set(notifications.values_list("link_id", flat=True))
    deliveries = Delivery.objects.filter(notification__in=notifications, channel="push")
    by_status = dict(deliveries.values_list("status").annotate(n=Count("pk")))
    sent_ids = {
        str(n)
        for n in deliveries.filter(status=Status.SENT).values_list("notification_id", flat=True)
    }
    sends = json_of(Http(fcm_port).call("GET", "/sends")[2])
    received = Counter(s["notification_id"] for s in sends)
    ours = {str(pk) for pk in notifications.values_list("pk", flat=True)}
    from django_tasks_db.models import DBTaskResult

    return {
        "reports": {
            "acknowledged_to_residents": len(ledger.filed),
            "residents_gave_up": len(ledger.given_up),
            "in_database": sum(per_key.values()),
            "acknowledged_but_missing": len(set(ledger.filed) - set(per_key)),
            "stored_twice": sum(1 for n in per_key.values() if n > 1),
            "stored_without_answer": len(set(per_key) - set(ledger.filed)),
            "ids_match": filed_ids <= set(reports.values_list("pk", flat=True)),
        },
        "photos": {
            "filed_with_a_photo": len(ledger.with_photo),
            "rows": len(photos),
            "ready": len(ready),
            "failed": sum(1 for p in photos if p.status == Photo.Status.FAILED),
            "processing": sum(1 for p in photos if p.status == Photo.Status.PROCESSING),
            "ready_with_all_three_objects": len(stored),
            "processed_more_than_once": sum(1 for p in photos if p.attempts > 1),
            "reports_acknowledged_with_a_photo_but_none_stored": len(
                ledger.with_photo - {p.signalement_id for p in photos}
            ),
        },
        "notifications": {
            "reports_moved": len(ledger.moved),
            "moves_without_notification": len({str(i) for i in ledger.moved} - told),
            "push_deliveries": by_status,
            "sent_but_not_received": len(sent_ids - set(received)),
            "received_twice": sum(1 for pk in ours if received.get(pk, 0) > 1),
            "outcome_unknown": deliveries.filter(last_error=UNKNOWN_OUTCOME).count(),
            "outcome_unknown_but_received": len(
                {
                    str(pk)
                    for pk in deliveries.filter(last_error=UNKNOWN_OUTCOME).values_list(
                        "notification_id", flat=True
                    )
                }
                & set(received)
            ),
        },
        "tasks": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk"))),
    }


def recovery(ledger: Ledger, nodes: dict[str, Node], begin: float) -> dict[str, Any]:
    """Errors the clients saw, and per kill how long until they stopped and the node served."""
    failures = [
        (at, name, outcome)
        for at, name, outcome in ledger.attempts
        if outcome != "ok" and not outcome.startswith("HTTP 4")
    ]
    served = defaultdict(list)  # upstream port -> times it answered
    for line in (RUN / "access.log").read_text(encoding="utf-8").splitlines():
        at, status, _took, upstreams = line.split(" ", 3)
        if status < "500":
            # The last server tried is the one that answered.
            answered = upstreams.strip('"').split(",")[-1].strip()
            served[answered.rsplit(":", 1)[-1]].append(float(at))
    out: dict[str, Any] = {}
    for name in ("app-1", "worker-1"):
        node = nodes[name]
        if not node.kills:
            continue
        killed, restarted = node.kills[0], node.starts[-1]
        following = [at for at, *_ in failures if killed <= at < killed + 30]
        entry = {
            "killed_at_s": round(killed - begin, 1),
            "restarted_at_s": round(restarted - begin, 1),
            "client_errors_within_30_s": len(following),
            "errors_stopped_after_s": round(max(following) - killed, 2) if following else 0.0,
        }
        if name.startswith("app"):
            back = [t for t in served[str(PORTS[name])] if t > restarted]
            entry["serving_again_after_restart_s"] = (
                round(min(back) - restarted, 2) if back else None
            )
        out[name] = entry
    return out


# Main -----------------------------------------------------------------------------------------


def main() -> None:
    if RUN.exists():
        shutil.rmtree(RUN)
    RUN.mkdir(parents=True)
    s3 = Node(
        "s3",
        [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(PORTS["s3"])],
        RUN / "s3.log",
    )
    s3.start()
    wait_for(PORTS["s3"], "/")
    prepare_buckets()
    print(f"==> cluster: fresh database {DB_NAME} with {REPORTS} reports", flush=True)
    prepare_database()
    import django

    django.setup()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    from bench.photos import phone_jpeg
    from signalements.models import Category, Signalement

    fcm = subprocess.Popen(
        python(str(ROOT / "bench" / "fake_fcm_server.py")),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    fcm_port = int(fcm.stdout.readline().strip())
    os.environ["FCM_ENDPOINT"] = f"http://127.0.0.1:{fcm_port}"
    nodes = {
        "app-1": app_server("app-1"),
        "app-2": app_server("app-2"),
        "worker-1": task_worker("worker-1"),
        "worker-2": task_worker("worker-2"),
        "scheduler": Node(
            "scheduler", python("manage.py", "scheduler", "--loop"), RUN / "scheduler.log"
        ),
        "proxy": nginx(),
    }
    results: dict[str, Any] = {}
    try:
        for node in nodes.values():
            node.start()
        for name in ("app-1", "app-2", "proxy"):
            wait_for(PORTS[name])
        users, tokens = residents()
        register_devices(tokens)
        ids = list(Signalement.objects.public().order_by("?").values_list("pk", flat=True)[:2000])
        photo = phone_jpeg(3, (2016, 1512))
        category = Category.objects.get(slug="chaussee-degradee").pk
        ledger = Ledger()
        begin = time.time()
        until = begin + LOAD_SECONDS
        print(f"==> cluster: {USERS} residents and an agent for {LOAD_SECONDS:.0f} s", flush=True)
        threads = [
            threading.Thread(
                target=resident, args=(ledger, i, tokens[i], ids, photo, category, until)
            )
            for i in range(USERS)
        ] + [threading.Thread(target=agent, args=(ledger, agent_token(), until))]
        for thread in threads:
            thread.start()
        for share, action in TIMELINE:
            time.sleep(max(0.0, begin + share * LOAD_SECONDS - time.time()))
            verb, name = action.split()
            print(f"    {time.time() - begin:5.1f} s: {action}", flush=True)
            getattr(nodes[name], "kill" if verb == "kill" else "start")()
        for thread in threads:
            thread.join()
        load_seconds = time.time() - begin
        print("==> cluster: waiting for the workers to finish", flush=True)
        drained = drain(ledger, users)
        counts = Counter(outcome for _at, _name, outcome in ledger.attempts)
        total = sum(counts.values())
        results = {
            "layout": {
                "app_servers": "2 x gunicorn gthread, 2 workers x 4 threads",
                "task_workers": "2 x manage.py db_worker, 1 scheduler",
                "proxy": "nginx, upstream of both app servers, proxy_next_upstream error timeout",
                "storage": "moto S3 server (public and private buckets)",
                "cache": "Redis",
                "database": "PostgreSQL + PostGIS, one",
                "reports_before": REPORTS,
                "residents": USERS,
                "load_seconds": round(load_seconds, 1),
                "lease_seconds": LEASE_SECONDS,
            },
            "requests": {
                "attempts": total,
                "ok": counts["ok"],
                "errors": {k: v for k, v in counts.items() if k != "ok"},
                "errors_by_request": dict(
                    Counter(
                        f"{name}: {outcome}"
                        for _at, name, outcome in ledger.attempts
                        if outcome != "ok"
                    )
                ),
                "error_rate": round(1 - counts["ok"] / total, 5) if total else None,
                "per_second": round(total / load_seconds, 1),
            },
            "latency": {name: summary(v) for name, v in sorted(ledger.latencies.items())},
            "recovery": recovery(ledger, nodes, begin),
            "drain": drained,
            **check(ledger, users, fcm_port),
        }
    finally:
        for node in reversed(list(nodes.values())):
            node.stop()
        s3.stop()
        fcm.terminate()
    results["verdict"] = verdict(results)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "cluster.json").write_text(json.dumps(results, indent=2))
    from bench.report import cluster_markdown, with_section

    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Bench results\n"
    path.write_text(with_section(text, "Cluster", cluster_markdown(results)), encoding="utf-8")
    print(json.dumps(results["verdict"], indent=2), flush=True)
    print("==> bench/results/cluster.json and the Cluster section of bench/RESULTS.md written")


def verdict(results: dict[str, Any]) -> dict[str, bool]:
    reports, photos, told = results["reports"], results["photos"], results["notifications"]
    return {
        "no answer refused the input (4xx)": not any(
            k.startswith("HTTP 4") for k in results["requests"]["errors"]
        ),
        "reports, photos and notifications made": reports["acknowledged_to_residents"] > 0
        and photos["filed_with_a_photo"] > 0
        and told["reports_moved"] > 0
        and sum(told["push_deliveries"].values()) > 0,
        "no report lost": reports["acknowledged_but_missing"] == 0 and reports["ids_match"],
        "no report stored twice": reports["stored_twice"] == 0,
        "no photo lost": photos["reports_acknowledged_with_a_photo_but_none_stored"] == 0
        and photos["ready_with_all_three_objects"] == photos["rows"],
        "no notification lost": told["moves_without_notification"] == 0
        and told["sent_but_not_received"] == 0
        and set(told["push_deliveries"]) <= {"sent"},
        "no notification sent twice": told["received_twice"] == 0,
    }


if __name__ == "__main__":
    main()
