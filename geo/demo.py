"""Demo territory: the 39 communes of Nîmes Métropole on polygons that tile.

The official boundaries (IGN ADMIN EXPRESS) cannot be shipped here; on a real
install ``import_communes`` loads them over these. The demo polygons are the
Voronoi cells of the town centres, clipped to a buffer around them: they tile
without overlaps and put every town centre inside its own commune.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPoint, Point, Polygon
from django.db import transaction
from django.utils.text import slugify

from backend.models import Direction, Organisation
from geo.services import commune_upsert

DATA = Path(__file__).parent / "data" / "nimes_metropole_communes.json"
LAMBERT_93 = 2154
# How far the territory reaches beyond the outermost town centres.
OUTER_MARGIN_M = 3000


def demo_communes() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _half_plane(site: Point, other: Point, extent: float) -> Polygon:
    """The side of the perpendicular bisector of (site, other) that holds ``site``."""
    mx, my = (site.x + other.x) / 2, (site.y + other.y) / 2
    dx, dy = other.x - site.x, other.y - site.y
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / length, dy / length  # towards ``other``
    px, py = -uy, ux  # along the bisector
    a = (mx + px * extent, my + py * extent)
    b = (mx - px * extent, my - py * extent)
    c = (b[0] - ux * extent, b[1] - uy * extent)
    d = (a[0] - ux * extent, a[1] - uy * extent)
    return Polygon((a, b, c, d, a), srid=site.srid)


def voronoi_cells(points: list[Point]) -> list[GEOSGeometry]:
    """Voronoi cells of the points (EPSG:4326), clipped to a buffer around their hull."""
    projected = [point.transform(LAMBERT_93, clone=True) for point in points]
    hull = MultiPoint(*projected, srid=LAMBERT_93).convex_hull.buffer(OUTER_MARGIN_M)
    extent = 200_000.0
    cells = []
    for site in projected:
        cell = hull
        for other in projected:
            if other is not site:
                cell = cell.intersection(_half_plane(site, other, extent))
        cells.append(cell.transform(4326, clone=True))
    return cells


@transaction.atomic
def load() -> None:
    agglomeration = Organisation.objects.get(slug="nimes-metropole")
    rows = demo_communes()
    cells = voronoi_cells([Point(row["lon"], row["lat"], srid=4326) for row in rows])
    for row, cell in zip(rows, cells, strict=True):
        organisation, _ = Organisation.objects.update_or_create(
            slug=f"commune-{row['insee']}",
            defaults={
                "kind": Organisation.Kind.COMMUNE,
                "name": row["name"],
                "insee_code": row["insee"],
                "parent": agglomeration,
            },
        )
        Direction.objects.update_or_create(
            slug=f"services-techniques-{slugify(row['name'])}",
            defaults={
                "organisation": organisation,
                "name": "Services techniques",
                "competences": "Voirie communale, éclairage public, espaces verts.",
            },
        )
        commune_upsert(
            insee_code=row["insee"],
            name=row["name"],
            geometry=cell,
            population=row["population"],
            postcodes=row["postcodes"],
            organisation=organisation,
        )
