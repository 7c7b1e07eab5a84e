"""The resident web app's page, manifest and service worker (web/app/resident/)."""

from __future__ import annotations

import json

from backend.views import RESIDENT_APP_DESCRIPTION
from tests.helpers import ROOT


def test_the_resident_page_loads_its_bundle_and_links_its_manifest(client, settings):
    response = client.get("/citoyen/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    assert 'src="/static/app/resident-bundle.js"' in page
    assert "resident/main.js" not in page
    assert '<link rel="manifest" href="/citoyen/manifest.webmanifest">' in page
    assert 'data-service-worker="/citoyen/sw.js"' in page
    assert 'data-scope="/citoyen/"' in page
    settings.DEBUG = True
    page = client.get("/citoyen/").content.decode()
    assert 'src="/static/app/resident/main.js"' in page
    assert "resident-bundle.js" not in page


def test_the_resident_page_uses_the_tiles_setting(client, settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in (
        client.get("/citoyen/").content.decode()
    )


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/citoyen/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Agglo citoyen"
    assert manifest["start_url"] == manifest["scope"] == "/citoyen/"
    assert manifest["display"] == "standalone"
    assert manifest["description"] == RESIDENT_APP_DESCRIPTION["fr"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        path = ROOT / "web" / icon["src"].removeprefix("/static/")
        assert path.exists(), path
        width = int(icon["sizes"].split("x")[0])
        # PNG header: width and height at bytes 16-24.
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == width
    english = client.get("/citoyen/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(english.content)["description"] == RESIDENT_APP_DESCRIPTION["en"]


def test_the_service_worker_is_served_for_the_app_scope(client):
    response = client.get("/citoyen/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/citoyen/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content
    # It never answers for the API: reports wait in the page's outbox instead.
    assert b"/api/" not in response.content


def test_the_resident_pages_only_answer_reads(client):
    assert client.post("/citoyen/").status_code == 405
    assert client.post("/citoyen/sw.js").status_code == 405
