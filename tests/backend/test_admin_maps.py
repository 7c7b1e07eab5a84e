"""The back-office maps load OpenLayers from the project's static files, not from a CDN."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.gis.db.models import GeometryField
from django.contrib.staticfiles import finders
from django.test import Client

from backend.widgets import LocalOpenLayersWidget
from geo.models import Commune

OPENLAYERS = ("vendor/ol/ol.js", "vendor/ol/ol.css")


class _Assets(HTMLParser):
    """The URLs of a page's scripts and style sheets, with every attribute of their tags."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(values["src"] or "")
        elif tag == "link" and values.get("href"):
            self.urls.append(values["href"] or "")
        else:
            return
        self.attributes += [value for _name, value in attrs if value]


def _commune_page(org_admin) -> _Assets:
    client = Client()
    client.force_login(org_admin)
    commune = Commune.objects.get(insee_code="30189")
    response = client.get(f"/admin/geo/commune/{commune.pk}/change/")
    assert response.status_code == 200
    page = _Assets()
    page.feed(response.content.decode())
    return page


def _outside(urls: list[str]) -> list[str]:
    return [url for url in urls if urlsplit(url).hostname not in (None, "testserver")]


def test_the_commune_map_loads_its_scripts_and_styles_from_the_project(org_admin):
    page = _commune_page(org_admin)
    assert _outside(page.urls) == []
    for name in OPENLAYERS:
        assert f"/static/{name}" in page.urls, page.urls


def test_without_a_tile_url_the_map_names_no_host_at_all(org_admin, settings):
    settings.MAP_TILES_URL = ""
    page = _commune_page(org_admin)
    assert _outside(page.attributes) == []


def test_the_base_layer_takes_its_tiles_from_the_setting(org_admin, settings):
    settings.MAP_TILES_URL = "https://tiles.agglo.example/{z}/{x}/{y}.png"
    page = _commune_page(org_admin)
    assert settings.MAP_TILES_URL in page.attributes


@pytest.mark.parametrize("name", OPENLAYERS)
def test_the_map_library_is_in_the_static_files(name):
    found = finders.find(name)
    assert found, f"{name}: run scripts/bootstrap.sh"
    with open(found, encoding="utf-8") as file:
        content = file.read()
    assert content.strip(), name
    assert "sourceMappingURL" not in content, "the source map is not shipped"


def test_every_back_office_map_uses_the_local_widget():
    geographic = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if any(isinstance(field, GeometryField) for field in model._meta.get_fields())
    ]
    assert geographic
    for model_admin in geographic:
        assert model_admin.gis_widget is LocalOpenLayersWidget, type(model_admin).__name__
