"""Reads about reports shared by several views.

The map section reads the per-cell counts of ``MapCell`` and ``MapCellMonth``, kept by
the PostgreSQL triggers of signalements/migrations/0004_map_cells.py (counts per cell)
and 0005_map_cells_by_month.py (the same per month of filing); a change to what the map
counts changes those triggers too, in a new migration.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from backend.models import User
from signalements.models import (
    OPEN_STATUSES,
    PUBLIC,
    Category,
    MapCell,
    MapCellMonth,
    Signalement,
    SignalementEvent,
    SignalementQuerySet,
    Status,
)

NEARBY_DAYS = 30


def signalement_list_public() -> SignalementQuerySet:
    return Signalement.objects.public().for_display()


def signalement_visible(*, user: object) -> SignalementQuerySet:
    return Signalement.objects.visible_to(user).for_display()


def signalement_nearby(
    *, category: Category, latitude: float, longitude: float
) -> SignalementQuerySet:
    """Open public reports of the category around the point, recent ones, nearest first."""
    point = Point(longitude, latitude, srid=4326)
    since = timezone.now() - timedelta(days=NEARBY_DAYS)
    radius = category.duplicate_radius_m
    # A box a little larger than the circle lets the spatial index pick the candidates;
    # the exact distance then decides (110 km per degree is under every real length).
    half_height = radius / 110_000
    half_width = radius / (110_000 * max(math.cos(math.radians(latitude)), 0.01))
    box = Polygon.from_bbox(
        (
            longitude - half_width,
            latitude - half_height,
            longitude + half_width,
            latitude + half_height,
        )
    )
    box.srid = 4326
    return (
        Signalement.objects.public()
        .open()
        .filter(
            category=category,
            created_at__gte=since,
            location__bboverlaps=box,
            location__distance_lte=(point, D(m=radius)),
        )
        .for_display()
        .annotate(distance=Distance("location", point))
        .order_by("distance", "-created_at")
    )


def signalement_list_mine(*, user: User) -> SignalementQuerySet:
    """The user's own reports, private ones included, with their public timeline."""
    return (
        Signalement.objects.filter(reporter=user)
        .for_display()
        .prefetch_related(
            Prefetch(
                "events",
                queryset=SignalementEvent.objects.public()
                .select_related("direction")
                .prefetch_related("photos")
                .order_by("created_at", "id"),
                to_attr="public_events",
            )
        )
    )


# Field service ------------------------------------------------------------------------------


def is_overdue(signalement: Signalement, now: datetime | None = None) -> bool:
    """Open and past its due date to acknowledge (while new) or to resolve."""
    now = now or timezone.now()
    if signalement.status not in OPEN_STATUSES:
        return False
    late_ack = (
        signalement.status == Status.NEW
        and signalement.acknowledge_due_at is not None
        and signalement.acknowledge_due_at < now
    )
    late_fix = signalement.resolve_due_at is not None and signalement.resolve_due_at < now
    return late_ack or late_fix


def signalement_queue(*, user: User) -> SignalementQuerySet:
    """The reports of the directions the user works in, ready to list."""
    return (
        Signalement.objects.for_agent(user).for_display().select_related("assigned_to", "reporter")
    )


def _percentile(queryset: QuerySet, expression: Any, fraction: float) -> timedelta | None:
    """A percentile of a duration, computed by the database.

    PostgreSQL has percentile_cont; elsewhere the row at that rank is read with
    an ordered OFFSET, still one indexed query.
    """
    rows = queryset.annotate(_value=expression).filter(_value__isnull=False)
    if connection.vendor == "postgresql":
        return rows.aggregate(
            value=PercentileCont(F("_value"), fraction=fraction, output_field=DurationField())
        )["value"]
    count = rows.count()
    if not count:
        return None
    return rows.order_by("_value").values_list("_value", flat=True)[int(fraction * (count - 1))]


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def _seconds(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 2) if value is not None else None


def signalement_stats(*, queryset: SignalementQuerySet) -> dict[str, Any]:
    """Public figures: counts by status, delays in hours (median and 90th percentile), targets."""
    to_ack = ExpressionWrapper(F("acknowledged_at") - F("created_at"), output_field=DurationField())
    to_fix = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    resolved = Q(resolved_at__isnull=False)
    within = resolved & Q(resolve_due_at__isnull=False, resolved_at__lte=F("resolve_due_at"))
    counts = {f"n_{status}": Count("id", filter=Q(status=status)) for status in Status.values}
    if connection.vendor == "postgresql":
        # One pass over the reports for every figure (percentiles ignore the NULL delays).
        figures = queryset.aggregate(
            **counts,
            resolved=Count("id", filter=resolved),
            within=Count("id", filter=within),
            ack_50=PercentileCont(to_ack, 0.5, output_field=DurationField()),
            ack_90=PercentileCont(to_ack, 0.9, output_field=DurationField()),
            fix_50=PercentileCont(to_fix, 0.5, output_field=DurationField()),
            fix_90=PercentileCont(to_fix, 0.9, output_field=DurationField()),
        )
    else:
        figures = queryset.aggregate(
            **counts, resolved=Count("id", filter=resolved), within=Count("id", filter=within)
        )
        figures.update(
            ack_50=_percentile(queryset, to_ack, 0.5),
            ack_90=_percentile(queryset, to_ack, 0.9),
            fix_50=_percentile(queryset, to_fix, 0.5),
            fix_90=_percentile(queryset, to_fix, 0.9),
        )
    by_status = {status: figures[f"n_{status}"] for status in Status.values}
    resolved_count = figures["resolved"]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "hours_to_acknowledge": {
            "median": _seconds(figures["ack_50"]),
            "p90": _seconds(figures["ack_90"]),
        },
        "hours_to_resolve": {
            "median": _seconds(figures["fix_50"]),
            "p90": _seconds(figures["fix_90"]),
        },
        "resolved": resolved_count,
        "resolved_within_target_share": round(figures["within"] / resolved_count, 4)
        if resolved_count
        else None,
    }


def _filter_key_value(value: Any) -> str:
    """One spelling per value: an instant in UTC, a number without trailing zeros."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def stats_cache_key(filters: Mapping[str, Any]) -> str:
    """The cache key of a set of validated filters; unset ones and unknown parameters count not."""
    known = {
        name: _filter_key_value(value)
        for name, value in sorted(filters.items())
        if value is not None and value != ""
    }
    return "signalement-stats:" + hashlib.sha256(json.dumps(known).encode()).hexdigest()


def signalement_stats_cached(
    *, queryset: SignalementQuerySet, filters: Mapping[str, Any]
) -> dict[str, Any]:
    """The figures, computed at most every STATS_CACHE_SECONDS for the same filters.

    Over a million reports the percentiles cost about a second of database time (every
    matching report is read and sorted); the figures of a territory move slowly, so the
    answer says when it was computed. ``filters`` are the cleaned values of the filter
    set that built ``queryset``: the key says what was computed, not what was asked.
    """
    from django.conf import settings
    from django.core.cache import cache

    seconds = settings.STATS_CACHE_SECONDS
    key = stats_cache_key(filters)
    figures = cache.get(key) if seconds else None
    if figures is None:
        figures = {**signalement_stats(queryset=queryset), "computed_at": timezone.now()}
        if seconds:
            cache.set(key, figures, seconds)
    return figures


# Map at any zoom ---------------------------------------------------------------------------

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

    With ``since``, whole months come from MapCellMonth and the reports of the first,
    partial month are grouped live: the cost stays that of one month of reports at most.
    """
    first_x, last_x, first_y, last_y = _cell_range(bbox, size)
    filters, filter_params = "", []
    if categories:
        filters += " AND m.category_id = ANY(%s)"
        filter_params.append(categories)
    if statuses:
        filters += " AND m.status = ANY(%s)"
        filter_params.append(statuses)
    table = Signalement._meta.db_table
    category_table = Category._meta.db_table
    counted_table = (MapCell if since is None else MapCellMonth)._meta.db_table
    counted = (
        f"SELECT m.cx, m.cy, m.n, m.sum_x, m.sum_y "
        f"FROM {counted_table} m JOIN {category_table} c ON c.id = m.category_id "
        f"WHERE m.level = %s AND m.cx BETWEEN %s AND %s AND m.cy BETWEEN %s AND %s "
        f"AND {public_sql(report=None)}{filters}"
    )
    counted_params: list[Any] = [level, first_x, last_x, first_y, last_y, *filter_params]
    if since is not None:
        whole = _first_whole_month(since)
        where, where_params = _map_where(
            bbox=_cells_box(bbox, size), categories=categories, statuses=statuses, since=since
        )
        counted += (
            f" AND m.month >= %s UNION ALL "
            f"SELECT floor(ST_X(s.location) / %s)::int, floor(ST_Y(s.location) / %s)::int, 1, "
            f"ST_X(s.location), ST_Y(s.location) FROM {table} s "
            f"JOIN {category_table} c ON c.id = s.category_id "
            f"WHERE {where} AND s.created_at < %s"
        )
        counted_params += [whole.date(), size, size, *where_params, whole]
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


# Public reports as GeoJSON, written by the database ------------------------------------------


def _timestamp(column: str) -> str:
    """SQL rendering a timestamptz as DRF does: ISO 8601 in the zone %(tz)s, µs if any."""
    local = f"({column} AT TIME ZONE %(tz)s)"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {column})::bigint %% 1000000 <> 0 "
        f"THEN to_char({column}, '.US') ELSE '' END "
        f"|| CASE WHEN {offset} = interval '0' THEN 'Z' "
        f"WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI') "
        f"ELSE '+' || to_char({offset}, 'HH24:MI') END"
    )


def signalement_features_sql() -> str:
    """The statement writing the GeoJSON features of the given report ids, in their order.

    Same document as ``SignalementGeoSerializer`` (tests/signalements/test_geojson.py
    compares them); the labels that depend on the language and the media URL prefix are
    parameters: status labels, deleted-user and resident labels, media prefix, zone, ids.
    """
    photo = (
        "json_build_object('id', p.id, 'position', p.position, 'status', p.status, "
        "'large_url', CASE WHEN p.status = 'ready' AND p.large <> '' "
        "THEN prefix.value || p.large END, "
        "'thumbnail_url', CASE WHEN p.status = 'ready' AND p.thumbnail <> '' "
        "THEN prefix.value || p.thumbnail END, "
        "'width', p.width, 'height', p.height)"
    )
    reporter_name = (
        "CASE WHEN s.anonymous OR u.id IS NULL THEN NULL "
        "WHEN NOT u.is_active THEN %(deleted)s "
        "ELSE coalesce(nullif(trim(u.first_name || CASE WHEN u.last_name <> '' "
        "THEN ' ' || left(u.last_name, 1) || '.' ELSE '' END), ''), %(resident)s) END"
    )
    properties = (
        "json_build_object("
        "'category', json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, "
        "'theme', t.slug, 'icon', c.icon), "
        "'description', s.description, 'status', s.status, "
        "'status_label', labels.value ->> s.status, 'address', s.address, "
        "'commune', json_build_object('insee_code', g.insee_code, 'name', g.name), "
        "'direction', CASE WHEN d.id IS NULL THEN NULL "
        "ELSE json_build_object('slug', d.slug, 'name', d.name) END, "
        f"'reporter_name', {reporter_name}, "
        "'supporters_count', (SELECT count(*) FROM signalements_follow f "
        "WHERE f.signalement_id = s.id), "
        f"'photos', coalesce((SELECT json_agg({photo} ORDER BY p.position, p.id) "
        "FROM signalements_photo p WHERE p.signalement_id = s.id), '[]'), "
        f"'created_at', {_timestamp('s.created_at')}, "
        f"'updated_at', {_timestamp('s.updated_at')})"
    )
    feature = (
        "json_build_object('id', s.id, 'type', 'Feature', 'geometry', "
        "json_build_object('type', 'Point', 'coordinates', "
        "json_build_array(ST_X(s.location), ST_Y(s.location))), "
        f"'properties', {properties})"
    )
    return (
        f"SELECT coalesce(json_agg({feature} ORDER BY page.n), '[]')::text "
        "FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS page (id, n) "
        "JOIN signalements_signalement s ON s.id = page.id "
        "JOIN signalements_category c ON c.id = s.category_id "
        "JOIN signalements_theme t ON t.id = c.theme_id "
        "JOIN geo_commune g ON g.id = s.commune_id "
        "LEFT JOIN backend_direction d ON d.id = s.direction_id "
        "LEFT JOIN backend_user u ON u.id = s.reporter_id "
        "CROSS JOIN (SELECT %(labels)s::jsonb AS value) labels "
        "CROSS JOIN (SELECT %(prefix)s::text AS value) prefix"
    )


def features_in_database() -> bool:
    """Whether the database can write the GeoJSON features (PostGIS, files under MEDIA_URL)."""
    from django.core.files.storage import FileSystemStorage, default_storage

    return connection.vendor == "postgresql" and isinstance(default_storage, FileSystemStorage)


def signalement_features(*, ids: list[int], media_prefix: str) -> str:
    """The GeoJSON features of these reports (a JSON array, as text), in the order given.

    Labels follow the active language; ``media_prefix`` is the absolute URL of MEDIA_URL.
    """
    from backend.models import User as UserModel

    params = {
        "ids": ids,
        "labels": json.dumps({str(value): str(label) for value, label in Status.choices}),
        "deleted": UserModel(is_active=False).display_name,
        "resident": UserModel(first_name="", last_name="").display_name,
        "prefix": media_prefix,
        "tz": timezone.get_current_timezone_name(),
    }
    with connection.cursor() as cursor:
        cursor.execute(signalement_features_sql(), params)
        return cursor.fetchone()[0]
