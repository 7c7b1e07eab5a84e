"""The map's per-cell counts (PostgreSQL) follow every change to the reports.

Each test compares the map drawn from the counts with the map grouped live from the
reports (the Python grid, which never reads the counts) after one kind of change.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from signalements.models import (
    Category,
    MapCell,
    MapCellMonth,
    MapCellPeriod,
    Signalement,
    Status,
)
from signalements.selectors import map as map_selectors
from tests.signalements.factories import NIMES, SAINT_GILLES, file_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the counts are kept by PostgreSQL triggers"
    ),
]

TERRITORY = (4.0, 43.6, 4.7, 44.1)
OTHER_CATEGORY = "abribus-degrade"


def _summary(body: dict) -> list:
    return sorted(
        (
            f["properties"].get("count", 1),
            f["properties"].get("id"),
            f["properties"].get("status"),
            round(f["geometry"]["coordinates"][0], 5),
            round(f["geometry"]["coordinates"][1], 5),
        )
        for f in body["features"]
    )


def assert_counts_match(zoom: int = 11, **filters: object) -> dict:
    """The map from the counts equals the live grouping, for the whole territory."""
    from_cells = json.loads(map_selectors.signalement_map(bbox=TERRITORY, zoom=zoom, **filters))
    live = map_selectors._signalement_map_python(
        bbox=TERRITORY,
        zoom=zoom,
        categories=filters.get("categories"),
        statuses=filters.get("statuses"),
        since=filters.get("since"),
    )
    assert _summary(from_cells) == _summary(live)
    return from_cells


def _count_at(body: dict, report: Signalement) -> int:
    """The count of the feature that stands for the report's cell (0 when none)."""
    size = body["cell_size"]
    cell = (report.location.x // size, report.location.y // size)
    for feature in body["features"]:
        x, y = feature["geometry"]["coordinates"]
        if (x // size, y // size) == cell:
            return feature["properties"].get("count", 1)
    return 0


def test_the_map_reads_the_counts_below_zoom_16():
    sql, _params = map_selectors.map_sql(bbox=TERRITORY, zoom=11)
    assert MapCell._meta.db_table in sql
    sql, _params = map_selectors.map_sql(bbox=TERRITORY, zoom=16)
    assert MapCell._meta.db_table not in sql


@pytest.mark.parametrize("zoom", [5, 9, 12, 15])
def test_counts_match_the_reports_at_every_level(zoom):
    assert_counts_match(zoom)


def test_a_new_report_counts_at_once(citizen):
    before = assert_counts_match()
    report = file_report(citizen)
    after = assert_counts_match()
    assert _count_at(after, report) == _count_at(before, report) + 1


def test_a_status_change_moves_the_report_between_filters(citizen):
    report = file_report(citizen)
    Signalement.objects.filter(pk=report.pk).update(status=Status.IN_PROGRESS)
    assert_counts_match(statuses=[Status.NEW])
    in_progress = assert_counts_match(statuses=[Status.IN_PROGRESS])
    assert _count_at(in_progress, report) >= 1


def test_a_moved_report_leaves_its_cell(citizen):
    report = file_report(citizen)
    before = assert_counts_match()
    Signalement.objects.filter(pk=report.pk).update(
        location=Point(SAINT_GILLES[1], SAINT_GILLES[0], srid=4326)
    )
    after = assert_counts_match()
    assert _count_at(after, report) == _count_at(before, report) - 1


def test_an_unpublished_or_deleted_report_is_no_longer_counted(citizen):
    first, second = file_report(citizen), file_report(citizen, at=SAINT_GILLES)
    with_both = assert_counts_match()
    Signalement.objects.filter(pk=first.pk).update(is_public=False)
    Signalement.objects.filter(pk=second.pk).delete()
    without = assert_counts_match()
    assert _count_at(without, first) == _count_at(with_both, first) - 1


def test_a_private_category_disappears_from_the_map(citizen):
    report = file_report(citizen)
    Category.objects.filter(pk=report.category_id).update(is_public=False)
    body = assert_counts_match(categories=[report.category_id])
    assert body["features"] == []


def test_a_cell_with_one_report_shows_that_report(citizen):
    Signalement.objects.all().delete()
    report = file_report(citizen, at=NIMES)
    body = assert_counts_match(zoom=9)
    assert [f["properties"] for f in body["features"]] == [
        {"id": report.pk, "category": report.category_id, "status": report.status}
    ]


@pytest.mark.parametrize("days", [0, 20, 45, 400])
def test_a_period_adds_whole_months_and_the_partial_one(citizen, days):
    """Reports spread over two years: every "since" cuts a month somewhere."""
    reports = [file_report(citizen, at=NIMES if i % 2 else SAINT_GILLES) for i in range(12)]
    now = timezone.now()
    for index, report in enumerate(reports):
        Signalement.objects.filter(pk=report.pk).update(
            created_at=now - timedelta(days=index * 61 + 3)
        )
    since = now - timedelta(days=days)
    body = assert_counts_match(zoom=9, since=since)
    sql, _params = map_selectors.map_sql(bbox=TERRITORY, zoom=9, since=since)
    assert MapCellPeriod._meta.db_table in sql
    assert sum(f["properties"].get("count", 1) for f in body["features"]) == (
        Signalement.objects.public().filter(created_at__gte=since).count()
    )
    sql, _params = map_selectors.map_sql(
        bbox=TERRITORY, zoom=13, since=since, statuses=[Status.NEW]
    )
    assert MapCellMonth._meta.db_table in sql
    assert_counts_match(zoom=13, since=since, statuses=[Status.NEW])


@pytest.mark.parametrize("hours", [0, 5, 30, 24 * 9 + 7, 24 * 40 + 13])
def test_a_period_adds_whole_months_whole_days_and_the_partial_day(citizen, hours):
    """Reports every few hours over two months: a "since" cuts a month, a day and an hour."""
    reports = [file_report(citizen, at=NIMES if i % 3 else SAINT_GILLES) for i in range(40)]
    now = timezone.now()
    for index, report in enumerate(reports):
        Signalement.objects.filter(pk=report.pk).update(
            created_at=now - timedelta(hours=index * 37 + 1)
        )
    since = now - timedelta(hours=hours)
    for zoom in (9, 12, 15):
        body = assert_counts_match(zoom=zoom, since=since)
        assert sum(f["properties"].get("count", 1) for f in body["features"]) == (
            Signalement.objects.public().filter(created_at__gte=since).count()
        )


def test_a_private_category_leaves_the_map_of_a_period_and_comes_back(citizen):
    report = file_report(citizen)
    file_report(citizen, at=SAINT_GILLES, slug=OTHER_CATEGORY)
    since = timezone.now() - timedelta(days=3)

    def total() -> int:
        body = assert_counts_match(zoom=9, since=since)
        return sum(f["properties"].get("count", 1) for f in body["features"])

    before = total()
    Category.objects.filter(pk=report.category_id).update(is_public=False)
    hidden = Signalement.objects.filter(category_id=report.category_id, created_at__gte=since)
    assert total() == before - hidden.filter(is_public=True).count() < before
    Category.objects.filter(pk=report.category_id).update(is_public=True)
    assert total() == before


def test_rebuilding_gives_the_counts_the_triggers_kept(citizen):
    file_report(citizen)
    Signalement.objects.filter(pk=file_report(citizen, at=SAINT_GILLES).pk).update(
        status=Status.RESOLVED
    )

    def live_rows() -> set:
        return set(
            MapCell.objects.filter(n__gt=0).values_list(
                "level", "cx", "cy", "category_id", "status", "n"
            )
        )

    def month_rows() -> set:
        return set(
            MapCellMonth.objects.filter(n__gt=0).values_list(
                "level", "cx", "cy", "category_id", "status", "month", "n"
            )
        )

    def period_rows() -> set:
        return set(
            MapCellPeriod.objects.filter(n__gt=0).values_list(
                "level", "span", "cx", "cy", "start", "n"
            )
        )

    kept, kept_by_month, kept_by_period = live_rows(), month_rows(), period_rows()
    assert kept_by_period
    call_command("map_cells_rebuild", verbosity=0)
    assert live_rows() == kept
    assert month_rows() == kept_by_month
    assert period_rows() == kept_by_period
    assert not MapCell.objects.filter(n__lte=0).exists()
    assert not MapCellMonth.objects.filter(n__lte=0).exists()
