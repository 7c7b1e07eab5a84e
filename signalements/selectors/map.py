"""The map of public reports at any zoom: points, clusters, and the SQL that writes them.

It reads the per-cell counts of ``MapCell`` and ``MapCellMonth``, kept by the PostgreSQL
triggers of signalements/migrations/0004_map_cells.py (counts per cell) and
0005_map_cells_by_month.py (the same per month of filing); a change to what the map
counts changes those triggers too, in a new migration.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import connection, transaction

from signalements.models import (
    PUBLIC,
    Category,
    MapCell,
    MapCellMonth,
    MapCellPeriod,
    Signalement,
)

# Reports are listed one by one from this zoom on (a street), grouped in cells below it.
MAP_POINTS_ZOOM = 16
# Most points sent for one viewport: a street at zoom 16+ rarely holds more.
MAP_MAX_POINTS = 2000
# Cells per tile side: 256 px tiles cut in 4 give clusters about 64 px apart on screen.
MAP_CELLS_PER_TILE = 4
# Most cells across a viewport side, whatever zoom the client claims: bounds the answer's size.
MAP_MAX_CELLS_PER_SIDE = 64


def map_cell_size(*, zoom: int, bbox: tuple[float, float, float, float]) -> float:
    """The side of a grid cell in degrees for this zoom, widened for an oversized viewport.

    The grid is anchored at (0, 0), as ST_SnapToGrid's, so a cluster keeps its place
    when the map is panned and answers are the same for every phone (cacheable).
    """
    size = 360.0 / (2**zoom * MAP_CELLS_PER_TILE)
    widest = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    while widest / size > MAP_MAX_CELLS_PER_SIDE:
        size *= 2
    return size


def public_sql(*, report: str | None = "s", category: str = "c") -> str:
    """``Signalement.objects.public()`` as SQL over a report and its category (by alias).

    Written from the lookups ``public()`` filters on (``PUBLIC``). With ``report=None``,
    only the category's part: the per-cell counts hold nothing but public reports, as
    their triggers count rows ``WHERE is_public``.
    """
    aliases = {Signalement: report, Category: category}
    clauses = []
    for lookup, value in PUBLIC.items():
        *path, name = lookup.split("__")
        model: Any = Signalement
        for step in path:
            model = model._meta.get_field(step).related_model
        if not isinstance(value, bool):
            raise TypeError(f"The map's SQL reads only true/false lookups, not {lookup}.")
        if aliases[model] is None:
            continue
        column = f"{aliases[model]}.{model._meta.get_field(name).column}"
        clauses.append(column if value else f"NOT {column}")
    return " AND ".join(clauses)


def _report_filters(
    *, categories: list[int] | None, statuses: list[str] | None, since: datetime | None
) -> tuple[str, list[Any]]:
    """The conditions on a public report ``s`` of category ``c``, with the filters (PostGIS)."""
    clauses = [public_sql()]
    params: list[Any] = []
    if categories:
        clauses.append("s.category_id = ANY(%s)")
        params.append(categories)
    if statuses:
        clauses.append("s.status = ANY(%s)")
        params.append(statuses)
    if since is not None:
        clauses.append("s.created_at >= %s")
        params.append(since)
    return " AND ".join(clauses), params


def _map_where(
    *,
    bbox: tuple[float, float, float, float],
    categories: list[int] | None,
    statuses: list[str] | None,
    since: datetime | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause of the public reports in the box, with the filters (PostGIS)."""
    filters, params = _report_filters(categories=categories, statuses=statuses, since=since)
    return f"s.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND {filters}", [*bbox, *params]


def _cell_range(bbox: tuple[float, float, float, float], size: float) -> tuple[int, int, int, int]:
    """The first and last grid cells touched by the box (columns, then rows)."""
    return (
        math.floor(bbox[0] / size),
        math.floor(bbox[2] / size),
        math.floor(bbox[1] / size),
        math.floor(bbox[3] / size),
    )


def _cells_box(
    bbox: tuple[float, float, float, float], size: float
) -> tuple[float, float, float, float]:
    """The box widened to whole cells: a cell touching the viewport counts all its reports."""
    first_x, last_x, first_y, last_y = _cell_range(bbox, size)
    return first_x * size, first_y * size, (last_x + 1) * size, (last_y + 1) * size


def map_level(size: float) -> int | None:
    """The MapCell level whose cells have this side, or None when no level has it."""
    level = math.log2(360.0 / (size * MAP_CELLS_PER_TILE))
    if level != int(level) or not 0 <= level < MAP_POINTS_ZOOM:
        return None
    return int(level)


_POINT_PROPS = "json_build_object('id', id, 'category', category_id, 'status', status)"
_CLUSTER_PROPS = "json_build_object('cluster', true, 'count', n)"
_FEATURE = (
    "json_build_object('type', 'Feature', 'geometry', json_build_object('type', 'Point', "
    "'coordinates', json_build_array(round(x::numeric, 6), round(y::numeric, 6))), "
    "'properties', {props})"
)


def _collection(mode: str, feature: str, source: str, size: float | None) -> str:
    cell_size = "'cell_size', %s, " if size is not None else ""
    return (
        f"SELECT json_build_object('type', 'FeatureCollection', 'mode', '{mode}', {cell_size}"
        f"'features', coalesce(json_agg({feature}), '[]'))::text FROM ({source}) f"
    )


def map_sql(
    *,
    bbox: tuple[float, float, float, float],
    zoom: int,
    categories: list[int] | None = None,
    statuses: list[str] | None = None,
    since: datetime | None = None,
) -> tuple[str, list[Any]]:
    """The one PostGIS statement that returns the whole GeoJSON text of a map viewport.

    The database groups and serialises: Python only passes the bytes on, so the answer
    costs what the query costs (the bench measures the same SQL alone as the floor).
    Cells are ``floor(x / size), floor(y / size)``, the grid of ST_SnapToGrid. Below
    zoom 16 the counts come from the MapCell table, which the database keeps per level,
    cell, category and status: the cost follows the number of cells on screen, not the
    number of reports. A ``since`` filter reads the counts by month (MapCellMonth) and
    groups live only the reports of its first, partial month.
    """
    table = Signalement._meta.db_table
    category_table = Category._meta.db_table
    if zoom >= MAP_POINTS_ZOOM:
        where, params = _map_where(bbox=bbox, categories=categories, statuses=statuses, since=since)
        source = (
            f"SELECT s.id, s.category_id, s.status, ST_X(s.location) AS x, "
            f"ST_Y(s.location) AS y FROM {table} s JOIN {category_table} c "
            f"ON c.id = s.category_id WHERE {where} ORDER BY s.id DESC LIMIT %s"
        )
        sql = _collection("points", _FEATURE.format(props=_POINT_PROPS), source, None)
        return sql, [*params, MAP_MAX_POINTS]
    size = map_cell_size(zoom=zoom, bbox=bbox)
    level = map_level(size)
    if level is not None:
        return _map_cells_sql(
            size=size,
            level=level,
            bbox=bbox,
            categories=categories,
            statuses=statuses,
            since=since,
        )
    where, params = _map_where(
        bbox=_cells_box(bbox, size), categories=categories, statuses=statuses, since=since
    )
    props = f"CASE WHEN n = 1 THEN {_POINT_PROPS} ELSE {_CLUSTER_PROPS} END"
    source = (
        f"SELECT count(*) AS n, avg(ST_X(s.location)) AS x, avg(ST_Y(s.location)) AS y, "
        f"min(s.id) AS id, min(s.category_id) AS category_id, min(s.status) AS status "
        f"FROM {table} s JOIN {category_table} c ON c.id = s.category_id WHERE {where} "
        f"GROUP BY floor(ST_X(s.location) / %s), floor(ST_Y(s.location) / %s)"
    )
    sql = _collection("clusters", _FEATURE.format(props=props), source, size)
    return sql, [size, *params, size, size]


def _first_whole_month(since: datetime) -> datetime:
    """The start (UTC) of the first calendar month lying wholly after ``since``."""
    moment = since.astimezone(UTC)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start < moment:
        try:
            start = (start + timedelta(days=32)).replace(day=1)
        except OverflowError:  # December 9999: no whole month after it
            return datetime.max.replace(tzinfo=UTC)
    return start


def _map_cells_sql(
    *,
    size: float,
    level: int,
    bbox: tuple[float, float, float, float],
    categories: list[int] | None,
    statuses: list[str] | None,
    since: datetime | None,
) -> tuple[str, list[Any]]:
    """Clusters from the per-cell counts; a cell holding one report shows that report.

    With ``since`` alone, the counts by period (MapCellPeriod) give whole months and whole
    days, and only the reports of the first, partial day are grouped live. With ``since``
    and a category or status, whole months come from MapCellMonth and the reports of the
    first, partial month are grouped live: that of one month of reports at most.
    """
    first_x, last_x, first_y, last_y = _cell_range(bbox, size)
    table = Signalement._meta.db_table
    category_table = Category._meta.db_table
    if since is not None and not categories and not statuses:
        counted, counted_params = _period_counts(
            size=size, level=level, bbox=bbox, cells=(first_x, last_x, first_y, last_y), since=since
        )
    else:
        counted, counted_params = _category_counts(
            size=size,
            level=level,
            bbox=bbox,
            cells=(first_x, last_x, first_y, last_y),
            categories=categories,
            statuses=statuses,
            since=since,
        )
    lone_where, lone_params = _report_filters(categories=categories, statuses=statuses, since=since)
    cells = (
        f"SELECT cx, cy, sum(n) AS n, sum(sum_x) AS sx, sum(sum_y) AS sy "
        f"FROM ({counted}) k GROUP BY cx, cy HAVING sum(n) > 0"
    )
    # The report alone in its cell, found through the spatial index.
    lone = (
        f"SELECT s.id, s.category_id, s.status FROM {table} s "
        f"JOIN {category_table} c ON c.id = s.category_id "
        f"WHERE cells.n = 1 AND s.location && ST_MakeEnvelope(cells.cx * %s, cells.cy * %s, "
        f"(cells.cx + 1) * %s, (cells.cy + 1) * %s, 4326) "
        f"AND floor(ST_X(s.location) / %s) = cells.cx AND floor(ST_Y(s.location) / %s) = cells.cy "
        f"AND {lone_where} LIMIT 1"
    )
    source = (
        f"SELECT cells.n, cells.sx / cells.n AS x, cells.sy / cells.n AS y, "
        f"lone.id, lone.category_id, lone.status "
        f"FROM ({cells}) cells LEFT JOIN LATERAL ({lone}) lone ON true"
    )
    props = f"CASE WHEN id IS NOT NULL THEN {_POINT_PROPS} ELSE {_CLUSTER_PROPS} END"
    sql = _collection("clusters", _FEATURE.format(props=props), source, size)
    return sql, [size, *counted_params, *([size] * 6), *lone_params]


Cells = tuple[int, int, int, int]


def _category_counts(
    *,
    size: float,
    level: int,
    bbox: tuple[float, float, float, float],
    cells: Cells,
    categories: list[int] | None,
    statuses: list[str] | None,
    since: datetime | None,
) -> tuple[str, list[Any]]:
    """Rows (cx, cy, n, sum_x, sum_y) of the viewport by category and status (MapCell), or
    by month (MapCellMonth) with the reports of the first, partial month."""
    filters, filter_params = "", []
    if categories:
        filters += " AND m.category_id = ANY(%s)"
        filter_params.append(categories)
    if statuses:
        filters += " AND m.status = ANY(%s)"
        filter_params.append(statuses)
    category_table = Category._meta.db_table
    counted_table = (MapCell if since is None else MapCellMonth)._meta.db_table
    counted = (
        f"SELECT m.cx, m.cy, m.n, m.sum_x, m.sum_y "
        f"FROM {counted_table} m JOIN {category_table} c ON c.id = m.category_id "
        f"WHERE m.level = %s AND m.cx BETWEEN %s AND %s AND m.cy BETWEEN %s AND %s "
        f"AND {public_sql(report=None)}{filters}"
    )
    params: list[Any] = [level, *cells, *filter_params]
    if since is not None:
        whole = _first_whole_month(since)
        live, live_params = _live_counts(
            size=size, bbox=bbox, since=since, until=whole, categories=categories, statuses=statuses
        )
        counted += f" AND m.month >= %s UNION ALL {live}"
        params += [whole.date(), *live_params]
    return counted, params


def _period_counts(
    *,
    size: float,
    level: int,
    bbox: tuple[float, float, float, float],
    cells: Cells,
    since: datetime,
) -> tuple[str, list[Any]]:
    """Rows (cx, cy, n, sum_x, sum_y) of the viewport since a moment: whole months and whole
    days from MapCellPeriod, the reports of the first, partial day live."""
    moment = since.astimezone(UTC)
    first_day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if first_day < moment:
        first_day += timedelta(days=1)
    whole_month = _first_whole_month(since)
    period = MapCellPeriod._meta.db_table
    where = "m.level = %s AND m.cx BETWEEN %s AND %s AND m.cy BETWEEN %s AND %s"
    live, live_params = _live_counts(
        size=size, bbox=bbox, since=since, until=first_day, categories=None, statuses=None
    )
    counted = (
        f"SELECT m.cx, m.cy, m.n, m.sum_x, m.sum_y FROM {period} m "
        f"WHERE {where} AND m.span = 'm' AND m.start >= %s "
        f"UNION ALL SELECT m.cx, m.cy, m.n, m.sum_x, m.sum_y FROM {period} m "
        f"WHERE {where} AND m.span = 'd' AND m.start >= %s AND m.start < %s "
        f"UNION ALL {live}"
    )
    params = [
        *(level, *cells, whole_month.date()),
        *(level, *cells, first_day.date(), whole_month.date()),
        *live_params,
    ]
    return counted, params


def _live_counts(
    *,
    size: float,
    bbox: tuple[float, float, float, float],
    since: datetime,
    until: datetime,
    categories: list[int] | None,
    statuses: list[str] | None,
) -> tuple[str, list[Any]]:
    """Rows (cx, cy, 1, x, y) of the viewport's public reports filed in [since, until)."""
    where, params = _map_where(
        bbox=_cells_box(bbox, size), categories=categories, statuses=statuses, since=since
    )
    sql = (
        f"SELECT floor(ST_X(s.location) / %s)::int, floor(ST_Y(s.location) / %s)::int, 1, "
        f"ST_X(s.location), ST_Y(s.location) FROM {Signalement._meta.db_table} s "
        f"JOIN {Category._meta.db_table} c ON c.id = s.category_id "
        f"WHERE {where} AND s.created_at < %s"
    )
    return sql, [size, size, *params, until]


def signalement_map(
    *,
    bbox: tuple[float, float, float, float],
    zoom: int,
    categories: list[int] | None = None,
    statuses: list[str] | None = None,
    since: datetime | None = None,
) -> str:
    """Public reports of a viewport as GeoJSON text: clusters with counts, or points.

    Below ``MAP_POINTS_ZOOM`` reports are grouped in grid cells (a cell holding one
    report is sent as that report); from it on, reports are sent one by one. PostGIS
    does it all in one statement; elsewhere (SpatiaLite, the embedded default) the same
    grid is computed in Python over the reports of the box, fine for a small database.
    """
    if connection.vendor == "postgresql":
        sql, params = map_sql(
            bbox=bbox, zoom=zoom, categories=categories, statuses=statuses, since=since
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # JIT compilation costs tens of ms and pays off only on long queries; over a
            # million rows the planner turns it on for a statement that needs none.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    return json.dumps(
        _signalement_map_python(
            bbox=bbox, zoom=zoom, categories=categories, statuses=statuses, since=since
        )
    )


def _signalement_map_python(
    *,
    bbox: tuple[float, float, float, float],
    zoom: int,
    categories: list[int] | None,
    statuses: list[str] | None,
    since: datetime | None,
) -> dict[str, Any]:
    size = map_cell_size(zoom=zoom, bbox=bbox)
    if zoom < MAP_POINTS_ZOOM:
        bbox = _cells_box(bbox, size)
    queryset = Signalement.objects.public().filter(location__bboverlaps=Polygon.from_bbox(bbox))
    if categories:
        queryset = queryset.filter(category_id__in=categories)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    rows = queryset.order_by("-id").values_list("id", "category_id", "status", "location")

    def point(pk: int, category_id: int, status: str, x: float, y: float) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
            "properties": {"id": pk, "category": category_id, "status": status},
        }

    if zoom >= MAP_POINTS_ZOOM:
        features = [
            point(pk, cat, status, loc.x, loc.y) for pk, cat, status, loc in rows[:MAP_MAX_POINTS]
        ]
        return {"type": "FeatureCollection", "mode": "points", "features": features}
    cells: dict[tuple[int, int], list[Any]] = {}
    for pk, cat, status, loc in rows:
        key = (math.floor(loc.x / size), math.floor(loc.y / size))
        cell = cells.setdefault(key, [0, 0.0, 0.0, pk, cat, status])
        cell[0] += 1
        cell[1] += loc.x
        cell[2] += loc.y
        if pk < cell[3]:
            cell[3], cell[4], cell[5] = pk, cat, status
    features = []
    for n, sum_x, sum_y, pk, cat, status in cells.values():
        if n == 1:
            features.append(point(pk, cat, status, sum_x, sum_y))
        else:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(sum_x / n, 6), round(sum_y / n, 6)],
                    },
                    "properties": {"cluster": True, "count": n},
                }
            )
    return {
        "type": "FeatureCollection",
        "mode": "clusters",
        "cell_size": size,
        "features": features,
    }
