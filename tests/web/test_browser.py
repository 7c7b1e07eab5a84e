"""The staff web app (web/app/) driven in Chromium by web/tests/ (node --test, playwright-core)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PLAYWRIGHT = ROOT / "web" / "node_modules" / "playwright-core"


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM}: scripts/test.sh installs Debian's chromium",
)
@pytest.mark.skipif(
    not PLAYWRIGHT.exists() or not shutil.which("node"),
    reason="node and web/node_modules (playwright-core) come from scripts/bootstrap.sh",
)
def test_the_staff_app_works_in_a_phone_sized_browser(committed_db, live_server, tmp_path):
    photo = tmp_path / "apres.jpg"
    Image.radial_gradient("L").resize((1200, 900)).convert("RGB").save(photo, "JPEG")
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "tests/"],
        cwd=ROOT / "web",
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "APP_URL": f"{live_server.url}/app/",
            "CHROMIUM_PATH": CHROMIUM,
            "SCREENSHOTS_DIR": str(ROOT / "var" / "screenshots"),
            "FIX_PHOTO": str(photo),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_page_is_served_with_its_assets(client):
    response = client.get("/app/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert b'src="/static/app/main.js"' in response.content
