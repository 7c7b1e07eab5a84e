"""The staff web app (web/app/) driven in Chromium by web/tests/ (node --test, playwright-core).

The app runs against a live server on the test database with the demo data, a real task
worker beside it (photos are processed and notifications written as in production), and no
map tiles: the browser tests fail on any request to another host than the server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from PIL import ExifTags, Image

from backend.throttling import ScopedRateThrottle
from tests.helpers import ROOT, child_database_url

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PLAYWRIGHT = ROOT / "web" / "node_modules" / "playwright-core"
SCREENSHOTS = ROOT / "var" / "screenshots"
SPATIALITE_FLOW = "is acknowledged, then resolved with a photo"


@pytest.fixture
def task_worker(committed_db, settings, tmp_path):
    """``manage.py db_worker`` on the test database and its media folders, until the test ends."""
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-startup-delay"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": child_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SIGNALEMENT_PRIVATE_MEDIA_ROOT": str(settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM}: scripts/test.sh installs Debian's chromium",
)
@pytest.mark.skipif(
    not PLAYWRIGHT.exists() or not shutil.which("node"),
    reason="node and web/node_modules (playwright-core) come from scripts/bootstrap.sh",
)
def test_the_staff_app_works_in_a_real_browser(
    task_worker, live_server, settings, tmp_path, monkeypatch
):
    settings.MAP_TILES_URL = ""
    # One address plays dozens of people here (registrations, logins, refreshes): the
    # per-address limit of the auth endpoints (20 a minute, tests/trust/test_throttles.py)
    # would refuse them at whatever minute the files happen to reach it.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "10000/min")
    # The bundle the page loads, built from the modules as they are now.
    build = subprocess.run(
        ["npm", "run", "--silent", "build"], cwd=ROOT / "web", capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    photo = tmp_path / "apres.jpg"
    Image.radial_gradient("L").resize((1200, 900)).convert("RGB").save(photo, "JPEG")
    # A phone's photo that knows where it was taken (in Saint-Gilles, 43.7905 N 4.4311 E).
    located = tmp_path / "situee.jpg"
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (43.0, 47.0, 25.8),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 25.0, 52.0),
    }
    Image.radial_gradient("L").resize((1200, 900)).convert("RGB").save(located, "JPEG", exif=exif)
    command = ["node", "--test", "--test-reporter=spec"]
    if connection.vendor != "postgresql":
        # The app does not depend on the database and takes minutes: the PostGIS pass runs
        # every browser test, the SpatiaLite pass (the demo's database) the main flow.
        command.append(f"--test-name-pattern={SPATIALITE_FLOW}")
    # WEB_TESTS names some files of web/tests/ (e.g. "resident.test.mjs") to run only them.
    files = [f"tests/{name}" for name in os.environ.get("WEB_TESTS", "").split()] or ["tests/"]
    result = subprocess.run(
        [*command, *files],
        cwd=ROOT / "web",
        capture_output=True,
        text=True,
        timeout=900,
        env={
            **os.environ,
            "APP_URL": f"{live_server.url}/app/",
            "CHROMIUM_PATH": CHROMIUM,
            "SCREENSHOTS_DIR": str(SCREENSHOTS),
            "FIX_PHOTO": str(photo),
            "FIX_GPS_PHOTO": str(located),
        },
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert task_worker.poll() is None, "the task worker died during the browser tests"


def test_the_app_page_is_served_with_its_assets(client, settings):
    response = client.get("/app/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert b'src="/static/app/bundle.js"' in response.content
    assert b"main.js" not in response.content
    # With DEBUG (make run), the modules themselves: edits show without a build.
    settings.DEBUG = True
    response = client.get("/app/")
    assert b'src="/static/app/main.js"' in response.content
    assert b"bundle.js" not in response.content


def test_map_tiles_come_from_the_setting(client, settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Example"
    page = client.get("/app/").content.decode()
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-tiles-attribution="© Example"' in page
    settings.MAP_TILES_URL = ""
    assert 'data-tiles-url=""' in client.get("/app/").content.decode()
