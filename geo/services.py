"""Writes to the territory: upserting communes and locating points."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from backend.models import Organisation
from geo.models import Commune

# About 50 m at this latitude: light enough for a phone, faithful enough for a map.
SIMPLIFY_TOLERANCE_DEGREES = 0.0005


def as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon:
    """Return the geometry as a MultiPolygon in EPSG:4326."""
    if geometry.srid and geometry.srid != 4326:
        geometry = geometry.transform(4326, clone=True)
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    geometry.srid = 4326
    return geometry


def simplified(geometry: MultiPolygon) -> MultiPolygon:
    return as_multipolygon(geometry.simplify(SIMPLIFY_TOLERANCE_DEGREES, preserve_topology=True))


def commune_upsert(
    *,
    insee_code: str,
    name: str,
    geometry: GEOSGeometry,
    population: int | None = None,
    postcodes: list[str] | None = None,
    organisation: Organisation | None = None,
) -> tuple[Commune, bool]:
    """Create or update a commune by its INSEE code; return it and whether it is new."""
    boundary = as_multipolygon(geometry)
    defaults: dict[str, object] = {
        "name": name,
        "geometry": boundary,
        "geometry_simplified": simplified(boundary),
        "population": population,
    }
    if postcodes is not None:
        defaults["postcodes"] = postcodes
    if organisation is not None:
        defaults["organisation"] = organisation
    return Commune.objects.update_or_create(insee_code=insee_code, defaults=defaults)


def commune_locate(*, point: Point) -> Commune | None:
    """The commune holding the point, borders included; on a shared border, the lowest
    INSEE code wins. Reports, contributions and the locate endpoint all ask here."""
    return Commune.objects.filter(geometry__intersects=point).order_by("insee_code").first()
