"""The back-office map widget: OpenLayers from the project's own static files.

Django's GIS widgets load OpenLayers from a CDN, which leaves the maps blank wherever
the back-office has no internet. Here the library comes from ``backend/static/vendor/ol/``
(installed from npm by ``scripts/bootstrap.sh``), and the base layer's tiles come from
``settings.MAP_TILES_URL`` (none when it is empty).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.forms.widgets import OSMWidget
from django.forms import Media, Script


class LocalOpenLayersWidget(OSMWidget):
    # Not one of Django's layer builders: added by backend/js/map-tiles.js.
    base_layer = "configured"

    @property
    def media(self) -> Media:
        tiles = Script(
            "backend/js/map-tiles.js",
            **{
                "data-tiles-url": settings.MAP_TILES_URL,
                "data-tiles-attribution": settings.MAP_TILES_ATTRIBUTION,
            },
        )
        return Media(
            css={"all": ("vendor/ol/ol.css", "gis/css/ol3.css")},
            js=("vendor/ol/ol.js", "gis/js/OLMapWidget.js", tiles),
        )
