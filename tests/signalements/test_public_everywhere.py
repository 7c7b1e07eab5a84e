"""What is public is the ORM's ``public()``; every SQL path of the map agrees with it.

Reports are made in every combination of status, visibility and category privacy, then
changed; the SQL condition of the map, the trigger-kept counts (PostgreSQL) and the map
at every zoom mode must count what ``Signalement.objects.public()`` counts.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.utils import timezone

from geo.models import Commune
from signalements.models import Category, MapCell, MapCellMonth, Signalement, Status
from signalements.selectors import map as map_selectors

pytestmark = pytest.mark.django_db

on_postgis = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the counts and the map SQL are PostGIS's"
)

# A box away from the demo's reports (which lie around Nîmes), so that every count in it
# is one of ours; points stay clear of cell edges at every zoom level tested.
BOX = (3.0, 44.0, 3.2, 44.2)


def _point(index: int) -> Point:
    return Point(3.0123 + (index % 8) * 0.0217, 44.0131 + (index // 8) * 0.0371, srid=4326)


@pytest.fixture
def reports(citizen) -> list[Signalement]:
    """Every status, public or not, in a public and in a private category."""
    public_category, private_category = Category.objects.filter(is_public=True)[:2]
    Category.objects.filter(pk=private_category.pk).update(is_public=False)
    commune = Commune.objects.get(insee_code="30189")
    made = []
    combinations = itertools.product(
        Status.values, (True, False), (public_category, private_category)
    )
    for index, (status, is_public, category) in enumerate(combinations):
        made.append(
            Signalement.objects.create(
                category=category,
                commune=commune,
                location=_point(index),
                reporter=citizen,
                status=status,
                is_public=is_public,
                description=f"#{index}",
            )
        )
    return made


def _changed(reports: list[Signalement]) -> None:
    """Visibility flipped both ways, a report moved out of the box, one deleted, and a
    category made public: each a write the triggers must follow."""
    Signalement.objects.filter(pk__in=[r.pk for r in reports[:6]]).update(is_public=False)
    Signalement.objects.filter(pk__in=[r.pk for r in reports[6:12]]).update(is_public=True)
    Signalement.objects.filter(pk=reports[12].pk).update(location=Point(4.36, 43.83, srid=4326))
    Signalement.objects.filter(pk=reports[13].pk).delete()
    private = Category.objects.filter(is_public=False, signalements__in=reports[14:15])
    private.update(is_public=True)


def _ours(reports: list[Signalement]) -> list[int]:
    return [r.pk for r in reports]


def _public_in(box: tuple[float, float, float, float], **lookups: object) -> int:
    queryset = Signalement.objects.public().filter(location__bboverlaps=Polygon.from_bbox(box))
    return queryset.filter(**lookups).count()


def _map_total(zoom: int, **filters: object) -> int:
    body = json.loads(map_selectors.signalement_map(bbox=BOX, zoom=zoom, **filters))
    return sum(f["properties"].get("count", 1) for f in body["features"])


def _sql_public_ids(ids: list[int]) -> set[int]:
    table, categories = Signalement._meta.db_table, Category._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id FROM {table} s JOIN {categories} c ON c.id = s.category_id "
            f"WHERE {map_selectors.public_sql()} AND s.id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("change", [False, True], ids=["made", "changed"])
def test_the_map_condition_selects_what_public_selects(reports, change):
    if change:
        _changed(reports)
    ids = _ours(reports)
    expected = set(Signalement.objects.public().filter(pk__in=ids).values_list("pk", flat=True))
    assert 0 < len(expected) < len(ids)
    assert _sql_public_ids(ids) == expected


def test_the_category_part_alone_is_the_category_lookups_of_public():
    assert map_selectors.public_sql(report=None) == "c.is_public"
    assert map_selectors.public_sql() == "s.is_public AND c.is_public"


def _counted(model: type, level: int) -> int:
    """Reports counted at a level of a trigger-kept table, through the map's condition."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(sum(m.n), 0) FROM {model._meta.db_table} m "
            f"JOIN {Category._meta.db_table} c ON c.id = m.category_id "
            f"WHERE m.level = %s AND {map_selectors.public_sql(report=None)}",
            [level],
        )
        return cursor.fetchone()[0]


@on_postgis
@pytest.mark.parametrize("change", [False, True], ids=["made", "changed"])
@pytest.mark.parametrize("model", [MapCell, MapCellMonth])
def test_the_trigger_kept_counts_count_what_public_counts(reports, change, model):
    if change:
        _changed(reports)
    for level in (0, 7, 15):
        assert _counted(model, level) == Signalement.objects.public().count()


@on_postgis
@pytest.mark.parametrize("change", [False, True], ids=["made", "changed"])
@pytest.mark.parametrize("zoom", [3, 9, 12, 15, 16, 18])
def test_the_map_counts_what_public_counts_at_every_zoom(reports, change, zoom):
    if change:
        _changed(reports)
    box = BOX
    if zoom < map_selectors.MAP_POINTS_ZOOM:
        box = map_selectors._cells_box(BOX, map_selectors.map_cell_size(zoom=zoom, bbox=BOX))
    assert _map_total(zoom) == _public_in(box)


@on_postgis
@pytest.mark.parametrize("change", [False, True], ids=["made", "changed"])
def test_the_map_by_month_counts_what_public_counts(reports, change):
    if change:
        _changed(reports)
    # Half of ours filed three months ago: whole months come from the monthly counts and
    # the first, partial month is grouped live.
    # Filed on the 20th, counted from the 15th, whatever today's date.
    old = (timezone.now() - timedelta(days=92)).replace(day=20)
    Signalement.objects.filter(pk__in=_ours(reports)[::2]).update(created_at=old)
    since = datetime(old.year, old.month, 15, tzinfo=UTC)
    zoom = 9
    box = map_selectors._cells_box(BOX, map_selectors.map_cell_size(zoom=zoom, bbox=BOX))
    assert _map_total(zoom, since=since) == _public_in(box, created_at__gte=since)
    assert _public_in(box, created_at__gte=since) > 0


@on_postgis
@pytest.mark.parametrize("change", [False, True], ids=["made", "changed"])
def test_the_live_grouping_counts_what_public_counts(reports, change, monkeypatch):
    if change:
        _changed(reports)
    # A cell size that no level of counts has: the reports are grouped live.
    monkeypatch.setattr(map_selectors, "map_level", lambda size: None)
    zoom = 12
    box = map_selectors._cells_box(BOX, map_selectors.map_cell_size(zoom=zoom, bbox=BOX))
    assert _map_total(zoom) == _public_in(box)
