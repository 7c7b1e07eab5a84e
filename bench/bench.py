"""The performance bench: seeds PostGIS, serves the API with gunicorn, loads it, writes results.

Run by ``make bench`` (bench/run.sh creates the database first). Every figure comes with
its floor measured in the same run: the database's own time for the same SQL, or a bare
HTTP call for uploads and FCM delivery. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

from bench.client import NIMES, Http, map_path, multipart, summary, viewport  # noqa: E402
from bench.report import (  # noqa: E402
    CONSULTATIONS,
    FIGURES_CATEGORY,
    FIGURES_COMMUNE,
    OPEN311_DEFAULT,
    OPEN311_PAGE,
)

DB_NAME = os.environ.get("BENCH_DB", "agglo_bench")
PG = os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432")
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "10000,100000,1000000").split(",") if s]


def _free_port() -> int:
    # Others may serve on the usual ports of this machine: take one nobody holds.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SCENARIO_SECONDS = float(os.environ.get("BENCH_SCENARIO_SECONDS", "6"))
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
MIXED_USERS = int(os.environ.get("BENCH_MIXED_USERS", "50"))
FANOUT_DEVICES = int(os.environ.get("BENCH_DEVICES", "100000"))
PERSONAL_USERS = int(os.environ.get("BENCH_PERSONAL_USERS", "10000"))
PUSH_WORKERS = int(os.environ.get("BENCH_PUSH_WORKERS", "4"))
FIRST_SCREEN_RUNS = int(os.environ.get("BENCH_FIRST_SCREEN_RUNS", "5"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# What to run, all by default: reads,mixed,first_screen,filing,push.
PARTS = set(os.environ.get("BENCH_PARTS", "reads,mixed,first_screen,filing,push").split(","))

# The server and this driver share one configuration: same database, same JWT signing key.
os.environ.update(
    {
        "DATABASE_URL": f"postgis://{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "THROTTLE_ANON": "10000000/min",
        "THROTTLE_USER": "10000000/min",
        # The load's residents file far more reports than a person may (30 an hour).
        "THROTTLE_SIGNALEMENT": "10000000/min",
        "ACCESS_TOKEN_MINUTES": "240",
        "DATABASE_POOL": "true",
        "LOG_LEVEL": "WARNING",
        "PUSH_BACKEND": "fcm",
        "FCM_PROJECT_ID": "agglo-bench",
        "FCM_RETRY_BACKOFF": "0.01",
        "FAST_PASSWORD_HASHER": "true",
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media"),
        "SIGNALEMENT_PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench" / "private"),
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
    }
)


# Measuring ------------------------------------------------------------------------------------


Request = tuple[str, str, str, bytes | None, dict]  # name, method, path, body, headers


def load(
    make_request: Callable[[random.Random], Request],
    *,
    users: int,
    seconds: float,
    think_ms: float = 0.0,
) -> dict[str, Any]:
    """Closed-loop load: ``users`` threads send requests back to back for ``seconds``."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        client = Http(PORT)
        while time.perf_counter() < deadline:
            name, method, path, body, headers = make_request(rng)
            try:
                status, elapsed, _data = client.call(method, path, body, headers)
            except Exception as error:
                with lock:
                    errors[name].append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                if status >= 400:
                    errors[name].append(f"HTTP {status} {path}")
                else:
                    latencies[name].append(elapsed)
            if think_ms:
                time.sleep(rng.uniform(0, 2 * think_ms) / 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    out = {name: summary(values, elapsed) for name, values in sorted(latencies.items())}
    for name, values in errors.items():
        out.setdefault(name, {"n": 0})
        out[name]["errors"] = len(values)
        out[name]["first_error"] = values[0][:200]
    return out


def sql_floor(path: str, headers: dict | None = None, repeat: int = 5) -> float:
    """The database's own time for the SQL a request runs (median over ``repeat`` runs, ms).

    The request goes through Django's test client in this process, the queries are
    captured with their timing; what is left to the HTTP figure is Python and transport.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(**({k: v for k, v in (headers or {}).items()}))
    totals = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        totals.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return round(statistics.median(totals), 1)


# Preparing ------------------------------------------------------------------------------------


def psql(sql_file: str, **variables: int) -> float:
    args = ["psql", "-q", f"postgresql://{PG}/{DB_NAME}", "-f", str(ROOT / "bench" / sql_file)]
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    started = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - started


def report_count() -> int:
    from signalements.models import Signalement

    return Signalement.objects.count()


def start_server() -> subprocess.Popen:
    args = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "backend.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--timeout",
        "120",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(args, cwd=ROOT)
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped at start")
        try:
            if Http(PORT).call("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer on /healthz")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def bench_tokens(count: int) -> list[str]:
    """Access tokens of ``count`` residents, made here with the server's signing key."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from backend.models import User

    tokens = []
    for index in range(count):
        user, _ = User.objects.get_or_create(
            email=f"bench-load-{index}@bench.test",
            defaults={"first_name": "Charge", "last_name": str(index)},
        )
        tokens.append(str(RefreshToken.for_user(user).access_token))
    return tokens


# Scenarios ------------------------------------------------------------------------------------

MAP_ZOOMS = [9, 11, 13, 15, 17]


MAP_FILTERS: dict[str, Callable[[], dict[str, Any]]] = {
    "category+status": lambda: {
        "category": list(_category_ids()[:3]),
        "status": ["nouveau", "pris_en_compte", "en_cours"],
    },
    "last 30 days": lambda: {"since": _days_ago(30)},
    "last year": lambda: {"since": _days_ago(365)},
}


def _category_ids() -> list[int]:
    from signalements.models import Category

    return list(Category.objects.order_by("pk").values_list("pk", flat=True))


def _days_ago(days: int) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def _query(params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(params, doseq=True)


def map_floor(zoom: int, filters: dict[str, Any] | None = None, samples: int = 8) -> float:
    """The database's time for the same statement that builds the map's GeoJSON."""
    from django.db import connection
    from django.utils.dateparse import parse_datetime

    from signalements.selectors.map import map_sql

    filters = filters or {}
    rng = random.Random(zoom)
    times = []
    with connection.cursor() as cursor:
        for _ in range(samples):
            box = tuple(float(v) for v in viewport(rng, zoom).split(","))
            sql, params = map_sql(
                bbox=box,
                zoom=zoom,
                categories=filters.get("category"),
                statuses=filters.get("status"),
                since=parse_datetime(filters["since"]) if "since" in filters else None,
            )
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def list_viewport(rng: random.Random) -> str:
    """The GeoJSON list of a zoom-14 viewport around Nîmes, 500 features at most."""
    return f"/api/v1/signalements/?format=geojson&page_size=500&in_bbox={viewport(rng, 14)}"


def nearby_path(rng: random.Random, category_id: int) -> str:
    x, y = rng.gauss(NIMES[0], 0.03), rng.gauss(NIMES[1], 0.02)
    return f"/api/v1/signalements/nearby/?latitude={y:.5f}&longitude={x:.5f}&category={category_id}"


def figures_path(rng: random.Random, cold: bool, scope: str = "") -> str:
    """Figures of the whole territory (the largest set), or of a scope (``commune=…``,
    ``category=…``); cold ones ask for a period nobody asked before (a new end, to the
    minute), so no kept answer serves them."""
    path = "/api/v1/stats/signalements/?" + scope
    if cold:
        end = f"{_days_ago(0)[:11]}{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
        path += ("&" if scope else "") + f"until={end}"
    return path


def floor_of(
    make_path: Callable[[random.Random], str], samples: int = 9, headers: dict | None = None
) -> float:
    """The database's time for the queries of a few requests of a scenario (median, ms)."""
    rng = random.Random(7)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
    return statistics.median(sql_floor(make_path(rng), meta, repeat=1) for _ in range(samples))


def scenario(
    name: str, make_path: Callable[[random.Random], str], headers: dict | None = None
) -> dict[str, Any]:
    """One client at a time, as one phone sees it: latency without queueing."""
    result = load(
        lambda rng: (name, "GET", make_path(rng), None, headers or {}),
        users=1,
        seconds=SCENARIO_SECONDS,
    )
    return {**result.get(name, {"n": 0}), **{k: v for k, v in result.items() if k != name}}


def read_scenarios(ids: list[int], category_id: int, consultation: str) -> dict[str, Any]:
    from django.conf import settings

    out: dict[str, Any] = {}
    for zoom in MAP_ZOOMS:
        name = f"map z{zoom}"
        out[name] = {
            **scenario(name, lambda rng, z=zoom: map_path(rng, z)),
            "floor_ms": map_floor(zoom),
        }
    for label, make_filters in MAP_FILTERS.items():
        filters = make_filters()
        name = f"map z11 {label}"
        out[name] = {
            **scenario(name, lambda rng, f=filters: f"{map_path(rng, 11)}&{_query(f)}"),
            "floor_ms": map_floor(11, filters),
        }
    paths: dict[str, Callable[[random.Random], str]] = {
        "list geojson 500 (viewport)": list_viewport,
        "list json 50": lambda rng: "/api/v1/signalements/?page_size=50",
        "nearby duplicates": lambda rng: nearby_path(rng, category_id),
        "figures (kept)": lambda rng: figures_path(rng, cold=False),
        "figures (cold)": lambda rng: figures_path(rng, cold=True),
        FIGURES_COMMUNE: lambda rng: figures_path(rng, cold=True, scope="commune=30189"),
        FIGURES_CATEGORY: lambda rng: figures_path(rng, cold=True, scope=f"category={category_id}"),
        "categories": lambda rng: "/api/v1/categories/",
        "communes": lambda rng: "/api/v1/communes/",
        "detail": lambda rng: f"/api/v1/signalements/{rng.choice(ids)}/",
        OPEN311_PAGE: lambda rng: "/open311/v2/requests.json?page_size=100",
        OPEN311_DEFAULT: lambda rng: "/open311/v2/requests.json",
        "open311 request": lambda rng: f"/open311/v2/requests/{rng.choice(ids)}.json",
        CONSULTATIONS: lambda rng: "/api/v1/consultations/",
        "consultation detail": lambda rng: f"/api/v1/consultations/{consultation}/",
        "contributions of a consultation": (
            lambda rng: f"/api/v1/consultations/{consultation}/contributions/"
        ),
        "actors": lambda rng: "/api/v1/actors/",
    }
    # The driver's own figures are never kept: its floor is the database's work.
    settings.STATS_CACHE_SECONDS = 0
    for name, make_path in paths.items():
        if name == "figures (kept)":
            # As served: someone asked for these figures a moment ago (a large base takes
            # seconds to compute them, longer than the scenario's window).
            Http(PORT).call("GET", make_path(random.Random(0)))
        out[name] = {**scenario(name, make_path), "floor_ms": floor_of(make_path)}
    agent = agent_headers()
    staff: dict[str, Callable[[random.Random], str]] = {
        "agent queue 50": lambda rng: "/api/v1/agent/signalements/?page_size=50",
        "agent report": lambda rng: f"/api/v1/agent/signalements/{rng.choice(agent_ids())}/",
    }
    for name, make_path in staff.items():
        out[name] = {
            **scenario(name, make_path, agent),
            "floor_ms": floor_of(make_path, headers=agent),
        }
    return out


@cache
def agent_ids() -> list[int]:
    from backend.models import User
    from signalements.models import Signalement

    agent = User.objects.get(email=FIRST_SCREEN_AGENT)
    queue = Signalement.objects.filter(direction__memberships__user=agent)
    return list(queue.order_by("?").values_list("pk", flat=True)[:500])


BENCH_CONSULTATIONS = int(os.environ.get("BENCH_CONSULTATIONS", "60"))
BENCH_CONTRIBUTIONS = int(os.environ.get("BENCH_CONTRIBUTIONS", "100"))


def seed_consultations() -> str:
    """Consultations as a territory has them over a few years: ``BENCH_CONSULTATIONS`` copies
    of the demo's, each over 3 to 39 communes, with ``BENCH_CONTRIBUTIONS`` published
    contributions each. Returns the slug of one of them."""
    from django.utils import timezone

    from backend.models import User
    from contributions.models import Consultation
    from contributions.services.moderation import moderation_load
    from geo.models import Commune

    if Consultation.objects.filter(slug="bench-concertation-0").exists():
        return "bench-concertation-0"
    rng = random.Random(19)
    template = Consultation.objects.filter(is_published=True).order_by("pk").first()
    themes = list(template.themes.all())
    communes = list(Commune.objects.without_boundaries().order_by("pk"))
    authors = [
        User.objects.get_or_create(
            email=f"bench-contrib-{i}@bench.test", defaults={"first_name": "Participant"}
        )[0]
        for i in range(20)
    ]
    now = timezone.now()
    for index in range(BENCH_CONSULTATIONS):
        copy = Consultation.objects.get(pk=template.pk)
        copy.pk = None
        copy.slug = f"bench-concertation-{index}"
        copy.title = f"Concertation {index} : aménagement du quartier"
        copy.opens_at = now - timedelta(days=rng.randrange(0, 900))
        copy.closes_at = copy.opens_at + timedelta(days=rng.randrange(20, 90))
        copy.opening_alert_sent_at = copy.opens_at
        copy.save()
        copy.themes.set(themes)
        copy.communes.set(rng.sample(communes, rng.randrange(3, len(communes) + 1)))
        for n in range(BENCH_CONTRIBUTIONS):
            moderation_load(
                consultation=copy,
                state="published",
                created_at=copy.opens_at,
                author=rng.choice(authors),
                kind=rng.choice(["idea", "question"]),
                body=f"Contribution {n} : plus d'arbres et une piste cyclable.",
                commune=rng.choice(communes),
            )
    return "bench-concertation-0"


def agent_headers() -> dict[str, str]:
    """An agent of the roads direction, whose queue is the largest."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from backend.models import User

    agent = User.objects.get(email=FIRST_SCREEN_AGENT)
    return {"Authorization": f"Bearer {RefreshToken.for_user(agent).access_token}"}


def public_ids(limit: int = 2000) -> list[int]:
    from signalements.models import Signalement

    return list(Signalement.objects.public().order_by("?").values_list("pk", flat=True)[:limit])


def filing_scenario(token: str, category_id: int, sink_port: int, repeat: int = 6) -> dict:
    """POST a report with three 12-megapixel JPEGs; the floor is the same upload to a sink."""
    from bench.photos import jpeg_12mp

    photos = [jpeg_12mp(i) for i in range(3)]
    body, content_type = multipart(
        {
            "category": str(category_id),
            "latitude": str(NIMES[1]),
            "longitude": str(NIMES[0]),
            "description": "Nid de poule devant l'école (bench)",
        },
        [("photos", f"IMG_{i}.jpg", photo) for i, photo in enumerate(photos)],
    )
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    client, sink = Http(PORT), Http(sink_port)
    times, floors = [], []
    for _ in range(repeat):
        status, elapsed, data = client.call("POST", "/api/v1/signalements/", body, headers)
        assert status == 201, (status, data[:300])
        times.append(elapsed)
        _s, floor, _d = sink.call("POST", "/upload-sink", body, {"Content-Type": content_type})
        floors.append(floor)
    return {
        **summary(times),
        "floor_ms": round(statistics.median(floors), 1),
        "photo_mb": [round(len(p) / 1e6, 2) for p in photos],
        "note": "201 once stored; resizing runs after, in the task worker",
    }


# Push -----------------------------------------------------------------------------------------


def start_fake_fcm() -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_fcm_server.py")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    port = int(server.stdout.readline().strip())
    return server, port


def fake_fcm_count(port: int) -> int:
    return json.loads(Http(port).call("GET", "/stats")[2])["sends"]


def fanout_scenario(fcm_port: int) -> dict:
    from django.conf import settings

    from geo.models import Commune
    from push import outbox, services
    from push.models import BroadcastSend, Device, Kind, Status

    settings.FCM_ENDPOINT = f"http://127.0.0.1:{fcm_port}"
    devices = Device.objects.active().exclude(topic="").count()
    before = fake_fcm_count(fcm_port)
    started = time.perf_counter()
    item = services.broadcast(
        key=f"bench-{uuid.uuid4()}",
        kind=Kind.NEW_CONSULTATION,
        title={"fr": "Nouvelle concertation", "en": "New consultation"},
        body={"fr": "Donnez votre avis", "en": "Have your say"},
        communes=Commune.objects.all(),
        link_type="consultation",
        link_id="1",
    )
    while outbox.deliver_due(batch_size=500):
        pass
    elapsed = time.perf_counter() - started
    sent = BroadcastSend.objects.filter(broadcast=item, status=Status.SENT).count()
    return {
        "devices": devices,
        "seconds": round(elapsed, 2),
        "fcm_requests": fake_fcm_count(fcm_port) - before,
        "topic_sends_sent": sent,
    }


def personal_scenario(fcm_port: int) -> dict:
    from django.conf import settings

    from backend.models import User
    from push import services
    from push.models import Delivery, Kind, Status

    settings.FCM_ENDPOINT = f"http://127.0.0.1:{fcm_port}"
    users = User.objects.filter(email__startswith="bench-user-").only("pk", "is_active")
    started = time.perf_counter()
    services.notify(
        users=users,
        kind=Kind.MY_REPORTS,
        title={"fr": "Votre signalement avance"},
        body={"fr": "Il est pris en compte."},
        link_type="signalement",
        link_id="1",
    )
    queued = time.perf_counter() - started
    total = Delivery.objects.filter(status=Status.PENDING, channel="push").count()
    env = {**os.environ, "FCM_ENDPOINT": settings.FCM_ENDPOINT}
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "push_worker.py")], cwd=ROOT, env=env
        )
        for _ in range(PUSH_WORKERS)
    ]
    for worker in workers:
        worker.wait(timeout=600)
    elapsed = time.perf_counter() - started
    sent = Delivery.objects.filter(status=Status.SENT).count()
    floor = bare_fcm_rate(fcm_port, PUSH_WORKERS * 1, 2000)
    return {
        "deliveries": total,
        "sent": sent,
        "queue_seconds": round(queued, 2),
        "deliver_seconds": round(elapsed, 2),
        "per_second": round(sent / elapsed, 1),
        "push_worker_processes": PUSH_WORKERS,
        "floor_per_second": floor,
    }


def bare_fcm_rate(port: int, threads: int, count: int) -> float:
    """Bare HTTP POSTs of a message to the fake FCM, with as many threads as workers."""
    body = json.dumps({"message": {"token": "floor", "notification": {"title": "t"}}}).encode()
    per_thread = count // threads

    def run() -> None:
        client = Http(port)
        for _ in range(per_thread):
            client.call(
                "POST",
                "/v1/projects/agglo-bench/messages:send",
                body,
                {"Content-Type": "application/json"},
            )

    started = time.perf_counter()
    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return round(per_thread * threads / (time.perf_counter() - started), 1)


# The staff app's first screen -----------------------------------------------------------------

FIRST_SCREEN_AGENT = "agent.voirie@demo.test"
FIRST_SCREEN_RESIDENT = "citoyen@demo.test"
# (screen, what it waits for, target in ms) under Slow 4G and 4x CPU, cold.
FIRST_SCREEN_TARGETS = [
    ("login", "staff app, login form usable", 2000),
    ("queue", "staff app, agent's queue (#queue) shown, already logged in", 3000),
    ("report", "resident app, report form usable, already logged in", 3000),
]
FIRST_SCREEN_MAX_BYTES = 100_000


def first_screen_missing() -> str | None:
    """Why the first screen cannot be measured here, or None."""
    if not shutil.which("node"):
        return "no node"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (scripts/test.sh installs Debian's chromium)"
    if not (ROOT / "web" / "node_modules" / "playwright-core").exists():
        return "no web/node_modules/playwright-core (scripts/bootstrap.sh installs it)"
    return None


def collect_static() -> str | None:
    """Collects the static files, or says why it could not."""
    # gunicorn serves no static file with DEBUG=false; bench/first_screen.mjs serves these
    # as the production reverse proxy serves STATIC_ROOT.
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return f"collectstatic failed: {done.stderr[-300:]}" if done.returncode else None


def first_screen_scenario() -> dict[str, Any]:
    """The apps' first screens (staff login and queue, resident report form), throttled phone."""
    from backend.demo import DEMO_PASSWORD
    from backend.models import User

    # The demo was loaded with the default hasher, which FAST_PASSWORD_HASHER leaves out of
    # the server's list: the agent gets the same password, hashed as this server checks it.
    for email in (FIRST_SCREEN_AGENT, FIRST_SCREEN_RESIDENT):
        user = User.objects.get(email=email)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    args = [
        "node",
        str(ROOT / "bench" / "first_screen.mjs"),
        "--server",
        f"http://127.0.0.1:{PORT}",
        "--static-root",
        os.environ["STATIC_ROOT"],
        "--runs",
        str(FIRST_SCREEN_RUNS),
        "--email",
        FIRST_SCREEN_AGENT,
        "--resident-email",
        FIRST_SCREEN_RESIDENT,
        "--password",
        DEMO_PASSWORD,
        "--chromium",
        CHROMIUM,
    ]
    try:
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": "no answer from bench/first_screen.mjs in 15 min"}
    try:
        data = json.loads(done.stdout)
    except ValueError:
        data = {"ok": False, "error": (done.stderr or done.stdout)[-500:]}
    data["reports"] = report_count()
    return data


def first_screen_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for the first screen, as report.targets gives the others."""
    profile = data.get("profiles", {}).get("slow-4g")
    if not profile:
        return []
    rows: list[tuple[str, str, bool | None]] = []
    for screen, label, limit in FIRST_SCREEN_TARGETS:
        row = profile[screen]
        rows.append(
            (
                f"{label}: median ≤ {limit / 1000:g} s on Slow 4G + 4× CPU, cold",
                f"{row['median_ms'] / 1000:.2f} s ({row['requests']} requests, "
                f"{row['bytes'] / 1000:.1f} kB)",
                row["median_ms"] <= limit,
            )
        )
    heaviest = max(profile[screen]["bytes"] for screen, _, _ in FIRST_SCREEN_TARGETS)
    rows.append(
        (
            f"web apps, first screen ≤ {FIRST_SCREEN_MAX_BYTES // 1000} kB transferred",
            f"{heaviest / 1000:.1f} kB at most",
            heaviest <= FIRST_SCREEN_MAX_BYTES,
        )
    )
    foreign = sorted(
        {
            url
            for row in profile.values()
            if isinstance(row, dict)
            for url in row.get("foreign_requests", [])
        }
    )
    rows.append(
        (
            "web apps, every request to the server's own origin",
            f"{len(foreign)} elsewhere" + (f" ({', '.join(foreign[:3])})" if foreign else ""),
            not foreign,
        )
    )
    return rows


def first_screen_markdown(data: dict[str, Any]) -> str:
    """The section of RESULTS.md on the staff app's first screen."""
    lines = ["## Web apps' first screen\n"]
    if "skipped" in data:
        return "\n".join([*lines, f"Not measured: {data['skipped']}.\n"])
    if not data.get("profiles"):
        return "\n".join([*lines, f"Failed: {data.get('error', 'no figures')}.\n"])
    lines.append(
        f"Chromium {data['chromium']} (headless), {data['viewport']}, CPU slowed down "
        f"{data['cpu_throttling_rate']}×, {data['cache']}; {data['static']}. Median of "
        f"{data['runs']} runs, timed in the page from the start of navigation to the first "
        f"frame painted with the screen ready. Agent {FIRST_SCREEN_AGENT}, "
        f"{data['reports']:,} reports in the base.\n"
    )
    if data.get("error"):
        lines.append(f"Stopped by an error: {data['error']}.\n")
    lines.append("| target | measured | |")
    lines.append("|---|---|---|")
    for label, measured, ok in first_screen_targets(data):
        lines.append(f"| {label} | {measured} | {'met' if ok else '**not met**'} |")
    lines.append("")
    lines.append(
        "| network | latency | down | up | login form | queue | report form | requests | kB |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for profile in data["profiles"].values():
        network = profile["network"]
        screens = [profile[screen] for screen in ("login", "queue", "report")]
        lines.append(
            f"| {network['label']} | {network['latency_ms']:g} ms | "
            f"{network['download_bytes_per_s'] * 8 / 1e6:.2f} Mbit/s | "
            f"{network['upload_bytes_per_s'] * 8 / 1e6:.2f} Mbit/s | "
            + " | ".join(f"{row['median_ms'] / 1000:.2f} s" for row in screens)
            + " | "
            + " / ".join(str(row["requests"]) for row in screens)
            + " | "
            + " / ".join(f"{row['bytes'] / 1000:.1f}" for row in screens)
            + " |"
        )
    lines.append("")
    queue = next(iter(data["profiles"].values()))["queue"]
    lines.append(f"Requests of the queue screen: {', '.join(f'`{p}`' for p in queue['paths'])}.\n")
    return "\n".join(lines)


def print_first_screen(data: dict[str, Any]) -> None:
    if "skipped" in data:
        print(f"    skipped: {data['skipped']}", flush=True)
        return
    if data.get("error"):
        print(f"    failed: {data['error']}", flush=True)
    for label, measured, ok in first_screen_targets(data):
        print(f"    {label}: {measured}: {'met' if ok else 'NOT MET'}", flush=True)


# Mixed load -----------------------------------------------------------------------------------


def mixed_scenario(ids: list[int], tokens: list[str], category_id: int) -> dict:
    zooms = [11, 13, 13, 14, 15, 15, 16, 17]
    choices = [
        ("map", 35),
        ("list", 20),
        ("detail", 20),
        ("inbox", 15),
        ("categories", 5),
        ("create", 5),
    ]
    names, weights = zip(*choices, strict=True)

    def request(rng: random.Random) -> Request:
        name = rng.choices(names, weights)[0]
        auth = {"Authorization": f"Bearer {rng.choice(tokens)}"}
        if name == "map":
            return name, "GET", map_path(rng, rng.choice(zooms)), None, {}
        if name == "list":
            return name, "GET", "/api/v1/signalements/?page_size=20", None, {}
        if name == "detail":
            return name, "GET", f"/api/v1/signalements/{rng.choice(ids)}/", None, {}
        if name == "inbox":
            return name, "GET", "/api/v1/notifications/", None, auth
        if name == "categories":
            return name, "GET", "/api/v1/categories/", None, {}
        body = json.dumps(
            {
                "category": category_id,
                "latitude": NIMES[1] + rng.uniform(-0.02, 0.02),
                "longitude": NIMES[0] + rng.uniform(-0.02, 0.02),
                "description": "Lampadaire éteint (bench)",
            }
        ).encode()
        return (
            name,
            "POST",
            "/api/v1/signalements/",
            body,
            {
                **auth,
                "Content-Type": "application/json",
            },
        )

    return load(request, users=MIXED_USERS, seconds=MIXED_SECONDS, think_ms=250)


# Main -----------------------------------------------------------------------------------------


def main() -> None:
    import django

    django.setup()
    from signalements.models import Category

    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "server": f"gunicorn gthread, {WORKERS} workers x {THREADS} threads",
            "database_pool": True,
        },
        "scales": {},
    }
    from django.core.cache import cache

    # Throttle counters and kept figures of an earlier run must not count in this one.
    cache.clear()
    category_id = Category.objects.get(slug="chaussee-degradee").pk
    tokens = bench_tokens(MIXED_USERS)
    print(f"==> {BENCH_CONSULTATIONS} consultations with contributions", flush=True)
    consultation = seed_consultations()
    first_screen_skipped = first_screen_missing() or collect_static()
    fcm, fcm_port = start_fake_fcm()
    server = start_server()
    started = time.perf_counter()
    try:
        for scale in SCALES:
            missing = scale - report_count()
            seed_seconds = psql("seed_reports.sql", n=missing) if missing > 0 else 0.0
            print(f"==> {scale} reports (seeded in {seed_seconds:.0f} s)", flush=True)
            ids = public_ids()
            results["scales"][str(scale)] = {
                "reports": report_count(),
                "seed_seconds": round(seed_seconds, 1),
                "endpoints": (
                    read_scenarios(ids, category_id, consultation) if "reads" in PARTS else {}
                ),
            }
            write(results)
            if "mixed" in PARTS:
                print(f"==> mixed load: {MIXED_USERS} users for {MIXED_SECONDS:.0f} s", flush=True)
                results["scales"][str(scale)]["mixed"] = mixed_scenario(ids, tokens, category_id)
                write(results)
        # Once, at the largest size: the assets do not change with the base, the agent's
        # queue does (its direction then has the most reports to page through).
        if "first_screen" in PARTS:
            print("==> web apps' first screen, throttled phone in Chromium", flush=True)
            if first_screen_skipped:
                results["first_screen"] = {"skipped": first_screen_skipped}
            else:
                results["first_screen"] = first_screen_scenario()
            print_first_screen(results["first_screen"])
            write(results)
        if "filing" in PARTS:
            print("==> filing a report with three 12-megapixel photos", flush=True)
            results["filing"] = filing_scenario(tokens[0], category_id, fcm_port)
            print("==> processing three 12-megapixel photos, against bare Pillow", flush=True)
            from bench.photos import measure_processing

            results["processing"] = measure_processing(repeat=5)
            write(results)
        if "push" in PARTS:
            print("==> push fan-out and personal notifications", flush=True)
            seed = psql("seed_devices.sql", devices=FANOUT_DEVICES, users=PERSONAL_USERS)
            results["push_seed_seconds"] = round(seed, 1)
            results["fanout"] = fanout_scenario(fcm_port)
            results["personal"] = personal_scenario(fcm_port)
            write(results)
    finally:
        stop(server)
        stop(fcm)
    results["bench_seconds"] = round(time.perf_counter() - started)
    write(results)
    from bench.report import render

    (ROOT / "bench" / "RESULTS.md").write_text(
        with_first_screen(render(results), results), encoding="utf-8"
    )
    print_targets(results)
    print("==> bench/results/latest.json and bench/RESULTS.md written", flush=True)


def print_targets(results: dict[str, Any]) -> None:
    """Every target with its size, measure, floor and verdict, as RESULTS.md has them."""
    from bench.report import targets

    print(f"==> targets (bench took {results['bench_seconds']} s)", flush=True)
    for label, scale, measured, floor, ok in targets(results):
        verdict = "–" if ok is None else ("met" if ok else "NOT MET")
        print(f"    [{scale}] {label}: {measured} (floor {floor}): {verdict}", flush=True)


def with_first_screen(text: str, results: dict) -> str:
    """RESULTS.md with the first screen's section before the notes (bench/NOTES.md)."""
    if "first_screen" not in results:
        return text
    section = first_screen_markdown(results["first_screen"])
    notes = text.find("\n## Notes and choices")
    if notes < 0:
        return f"{text}\n{section}"
    return f"{text[: notes + 1]}{section}\n{text[notes + 1 :]}"


def write(results: dict) -> None:
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
