"""The demo's commune boundaries have the complexity of real ones, and still tile."""

from __future__ import annotations

from functools import reduce

import pytest
from django.contrib.gis.geos import Point

from geo import demo
from geo.models import Commune

pytestmark = pytest.mark.django_db


def test_every_commune_has_a_boundary_of_real_complexity():
    counts = {c.name: c.geometry.num_coords for c in Commune.objects.all()}
    assert len(counts) == 39
    assert all(1500 <= count <= 9000 for count in counts.values()), counts
    assert 3000 <= sum(counts.values()) / len(counts) <= 5500


def test_the_communes_tile_without_gaps_or_overlaps():
    cells = [c.geometry for c in Commune.objects.all()]
    assert all(cell.valid for cell in cells)
    union = reduce(lambda a, b: a.union(b), cells)
    assert union.area == pytest.approx(sum(cell.area for cell in cells), rel=1e-9)
    # One piece: neighbours share their irregular edges exactly.
    assert union.num_geom == 1


def test_every_town_centre_is_in_its_own_commune():
    for row in demo.demo_communes():
        commune = Commune.objects.get(insee_code=row["insee"])
        assert commune.geometry.contains(Point(row["lon"], row["lat"], srid=4326)), row["name"]


def test_the_same_boundaries_on_every_run():
    points = [Point(row["lon"], row["lat"], srid=4326) for row in demo.demo_communes()[:6]]
    first = demo.voronoi_cells(points, vertices=500)
    second = demo.voronoi_cells(points, vertices=500)
    assert [a.wkb for a in first] == [b.wkb for b in second]
    assert all(cell.num_coords > 200 for cell in first)


def test_the_phone_boundary_stays_light():
    for commune in Commune.objects.all():
        assert commune.geometry_simplified.num_coords < commune.geometry.num_coords / 20
