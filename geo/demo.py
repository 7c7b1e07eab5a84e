"""Demo territory: the 39 communes of Nîmes Métropole on polygons that tile.

The official boundaries (IGN ADMIN EXPRESS) cannot be shipped here; on a real
install ``import_communes`` loads them over these. The demo polygons are the
Voronoi cells of the town centres, clipped to a buffer around them: they tile
without overlaps and put every town centre inside its own commune.

Real boundaries follow rivers, roads and field edges: IGN's have hundreds to
thousands of vertices per commune, and a straight-edged cell of seven would make
every geometric query look cheaper than it is. Each edge of the cells is therefore
replaced by an irregular line (midpoint displacement) of real complexity, about
``VERTICES_PER_COMMUNE`` vertices per commune. An edge shared by two communes gets
the same line on both sides, drawn from a seed of its two ends: the communes still
tile, and the demo is the same on every machine.
"""

from __future__ import annotations

import json
import logging
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
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
# About what a commune of IGN ADMIN EXPRESS has (hundreds to thousands of vertices).
VERTICES_PER_COMMUNE = 4000
# How far an edge's line strays from the straight edge, as a share of each segment.
ROUGHNESS = 0.12


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


def voronoi_cells(points: list[Point], *, vertices: int = 0) -> list[GEOSGeometry]:
    """Voronoi cells of the points (EPSG:4326), clipped to a buffer around their hull.

    With ``vertices``, each cell's edges become irregular lines shared with the neighbour,
    for about that many vertices per cell.
    """
    projected = [point.transform(LAMBERT_93, clone=True) for point in points]
    hull = MultiPoint(*projected, srid=LAMBERT_93).convex_hull.buffer(OUTER_MARGIN_M)
    extent = 200_000.0
    cells = []
    for site in projected:
        cell = hull
        for other in projected:
            if other is not site:
                cell = cell.intersection(_half_plane(site, other, extent))
        cells.append(cell)
    if vertices:
        cells = _roughened(cells, projected, vertices)
    return [cell.transform(4326, clone=True) for cell in cells]


Coords = tuple[float, float]


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _roughened(cells: list[GEOSGeometry], sites: list[Point], vertices: int) -> list[Polygon]:
    """The cells with every edge replaced by its irregular line (projected coordinates)."""
    seen: list[Coords] = []
    rings = [_snapped_ring(cell, seen) for cell in cells]
    perimeter = sum(cell.length for cell in cells) / len(cells)
    spacing = perimeter / vertices
    # Shared edges are drawn once, from their two ends in a fixed order; an edge whose line
    # would make a cell invalid (or lose its town centre) is drawn again, straighter.
    roughness: dict[tuple[Coords, Coords], float] = {}
    for _attempt in range(8):
        polygons = [_polygon(ring, spacing, roughness) for ring in rings]
        # GEOS logs each self-intersection it finds; here they are expected and mended.
        with _quiet(logging.getLogger("django.contrib.gis")):
            bad = [
                index
                for index, polygon in enumerate(polygons)
                if not polygon.valid or not polygon.contains(sites[index])
            ]
        if not bad:
            return polygons
        for index in bad:
            for edge in _edges(rings[index]):
                roughness[edge] = roughness.get(edge, ROUGHNESS) / 2
    return [Polygon(ring, srid=LAMBERT_93) for ring in rings]


def _snapped_ring(cell: GEOSGeometry, seen: list[Coords]) -> list[Coords]:
    """The cell's outer ring, each vertex snapped to one seen before within a metre, so that
    two cells computing the same corner apart by rounding share it exactly."""
    ring = []
    for x, y in cell.exterior_ring.coords:
        same = next((v for v in seen if abs(v[0] - x) < 1 and abs(v[1] - y) < 1), None)
        if same is None:
            same = (round(x, 3), round(y, 3))
            seen.append(same)
        ring.append(same)
    return ring


def _edges(ring: list[Coords]) -> list[tuple[Coords, Coords]]:
    return [(a, b) if a <= b else (b, a) for a, b in zip(ring, ring[1:], strict=False)]


def _polygon(ring: list[Coords], spacing: float, roughness: dict) -> GEOSGeometry:
    coords = [ring[0]]
    for a, b in zip(ring, ring[1:], strict=False):
        key = (a, b) if a <= b else (b, a)
        line = _line(key, spacing, roughness.get(key, ROUGHNESS))
        coords.extend(line if key[0] == a else line[::-1])
        coords.append(b)
    # From text: building thousands of coordinates one by one through GEOS costs seconds.
    return GEOSGeometry(
        "POLYGON((" + ",".join(f"{x!r} {y!r}" for x, y in coords) + "))", srid=LAMBERT_93
    )


@cache
def _line(edge: tuple[Coords, Coords], spacing: float, roughness: float) -> tuple[Coords, ...]:
    """The inner points of an irregular line between the edge's ends (midpoint displacement),
    the same for the same edge on every call and every machine."""
    (ax, ay), (bx, by) = edge
    length = math.hypot(bx - ax, by - ay)
    if length <= spacing:
        return ()
    levels = min(12, round(math.log2(length / spacing)))
    rng = random.Random(f"{ax:.3f},{ay:.3f},{bx:.3f},{by:.3f}")
    points: list[Coords] = [(ax, ay), (bx, by)]
    for _level in range(levels):
        refined = [points[0]]
        for (px, py), (qx, qy) in zip(points, points[1:], strict=False):
            dx, dy = qx - px, qy - py
            shift = max(-0.25, min(0.25, rng.gauss(0, roughness)))
            refined.append(((px + qx) / 2 - dy * shift, (py + qy) / 2 + dx * shift))
            refined.append((qx, qy))
        points = refined
    return tuple(points[1:-1])


@cache
def _demo_cells() -> list[GEOSGeometry]:
    # Made once per process (a second or two): tests load the demo again and again.
    points = [Point(row["lon"], row["lat"], srid=4326) for row in demo_communes()]
    return voronoi_cells(points, vertices=VERTICES_PER_COMMUNE)


@transaction.atomic
def load() -> None:
    agglomeration = Organisation.objects.get(slug="nimes-metropole")
    rows = demo_communes()
    cells = _demo_cells()
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
