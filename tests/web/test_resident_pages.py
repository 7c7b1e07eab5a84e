"""The resident web app's page, manifest and service worker (web/app/resident/)."""

from __future__ import annotations

import io
import json

from django.core.checks import run_checks
from PIL import Image

from backend.views import RESIDENT_APP_DESCRIPTION


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
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == "image/png"
        with Image.open(io.BytesIO(response.content)) as image:
            width = int(icon["sizes"].split("x")[0])
            assert image.format == "PNG"
            assert image.size == (width, width)
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


def test_a_city_brands_the_apps_from_settings(client, settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (800, 400), "#ffcc00").save(logo)
    settings.APP_NAME = "Nîmes Métropole"
    settings.APP_SHORT_NAME = "Nîmes"
    settings.APP_COLOR = "#8b1538"
    settings.APP_BACKGROUND_COLOR = "#ffffff"
    settings.APP_LOGO = str(logo)
    manifest = json.loads(client.get("/citoyen/manifest.webmanifest").content)
    assert (manifest["name"], manifest["short_name"]) == ("Nîmes Métropole", "Nîmes")
    assert (manifest["theme_color"], manifest["background_color"]) == ("#8b1538", "#ffffff")
    for path in ("/citoyen/", "/app/"):
        page = client.get(path).content.decode()
        assert "Nîmes Métropole" in page
        assert "--accent: #8b1538" in page
        assert "Agglo citoyen" not in page
    # The logo, fitted on the background inside the maskable icon's safe zone.
    with Image.open(io.BytesIO(client.get("/citoyen/icon-512.png").content)) as icon:
        assert icon.size == (512, 512)
        assert icon.getpixel((256, 256)) == (255, 204, 0)
        assert icon.getpixel((5, 5)) == (255, 255, 255)
    assert client.get("/citoyen/icon-100.png").status_code == 404


def branding_errors() -> list[str]:
    return [e.msg for e in run_checks(tags=["branding"])]


def test_a_brand_the_apps_cannot_show_stops_the_server_at_start(settings, tmp_path):
    assert branding_errors() == []
    settings.APP_COLOR = "#ffee00"  # white text on it could not be read
    assert branding_errors() == [
        "APP_COLOR #ffee00 is too light behind white text (contrast 1.2:1, WCAG AA asks 4.5:1)."
    ]
    settings.APP_COLOR = "bleu"
    assert branding_errors() == ["APP_COLOR must be a colour as #rrggbb, not 'bleu'."]
    settings.APP_COLOR = "#000091"
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("nope")
    settings.APP_LOGO = str(not_an_image)
    [message] = branding_errors()
    assert message.startswith(f"APP_LOGO '{not_an_image}' is not a readable image")
