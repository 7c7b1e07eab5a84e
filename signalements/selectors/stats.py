"""Public figures of the reports, their cache and its key.

Figures of the whole territory or of a commune, for any period, are read from the counts and
delay histograms that PostgreSQL keeps by day and by month of filing (``StatsPeriod`` and
``StatsDelay``, triggers of signalements/migrations/0010_stats_by_period.py), with only the
reports of the partial days at the period's ends read live; with a category or a direction,
or off PostgreSQL, they are computed from the matching reports.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from geo.models import Commune
from signalements.models import (
    WHOLE_TERRITORY,
    SignalementQuerySet,
    StatsDelay,
    StatsPeriod,
    Status,
)
from signalements.models.stats import Span

# The statuses of a report whose problem was fixed (closing follows resolving).
RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)


def _percentile(queryset: QuerySet, expression: Any, fraction: float) -> timedelta | None:
    """A percentile of a duration where the database has no percentile_cont (SQLite): the
    row at that rank, read with an ordered OFFSET, still one indexed query."""
    rows = queryset.annotate(_value=expression).filter(_value__isnull=False)
    count = rows.count()
    if not count:
        return None
    return rows.order_by("_value").values_list("_value", flat=True)[int(fraction * (count - 1))]


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont`` of several fractions (an array), from one sort."""

    function = "percentile_cont"
    template = "%(function)s(%(fractions)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fractions: list[float], **extra: Any) -> None:
        array = "ARRAY[{}]".format(",".join(str(float(f)) for f in fractions))
        super().__init__(expression, fractions=array, **extra)


def _seconds(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 2) if value is not None else None


def _figures(
    *,
    by_status: dict[str, int],
    timed: int,
    within: int,
    ack: tuple[timedelta | None, timedelta | None],
    fix: tuple[timedelta | None, timedelta | None],
) -> dict[str, Any]:
    """The figures' document: ``timed`` and ``within`` count resolved reports only."""
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "hours_to_acknowledge": {"median": _seconds(ack[0]), "p90": _seconds(ack[1])},
        "hours_to_resolve": {"median": _seconds(fix[0]), "p90": _seconds(fix[1])},
        "resolved": sum(by_status[status] for status in RESOLVED_STATUSES),
        "resolved_within_target_share": round(within / timed, 4) if timed else None,
    }


def signalement_stats(*, queryset: SignalementQuerySet) -> dict[str, Any]:
    """Public figures: counts by status, delays in hours (median and 90th percentile), targets,
    computed from the reports of ``queryset`` (exact percentiles)."""
    to_ack = ExpressionWrapper(F("acknowledged_at") - F("created_at"), output_field=DurationField())
    to_fix = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    # Resolved is what the reports' statuses say (résolu, or clos: only a resolved report is
    # closed), so the count matches ``by_status``; the share within target can only read the
    # reports whose resolution date and target are both known.
    resolved = Q(status__in=RESOLVED_STATUSES)
    timed = resolved & Q(resolved_at__isnull=False, resolve_due_at__isnull=False)
    within = timed & Q(resolved_at__lte=F("resolve_due_at"))
    counts = {f"n_{status}": Count("id", filter=Q(status=status)) for status in Status.values}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.fields import ArrayField

        # One pass over the reports for every figure (percentiles ignore the NULL delays);
        # both percentiles of a delay come from one sort of it.
        durations = ArrayField(DurationField())
        figures = queryset.aggregate(
            **counts,
            timed=Count("id", filter=timed),
            within=Count("id", filter=within),
            ack=PercentileCont(to_ack, [0.5, 0.9], output_field=durations),
            fix=PercentileCont(to_fix, [0.5, 0.9], output_field=durations),
        )
        ack, fix = (tuple(figures[name] or (None, None)) for name in ("ack", "fix"))
    else:
        figures = queryset.aggregate(
            **counts,
            timed=Count("id", filter=timed),
            within=Count("id", filter=within),
        )
        ack = (_percentile(queryset, to_ack, 0.5), _percentile(queryset, to_ack, 0.9))
        fix = (_percentile(queryset, to_fix, 0.5), _percentile(queryset, to_fix, 0.9))
    return _figures(
        by_status={status: figures[f"n_{status}"] for status in Status.values},
        timed=figures["timed"],
        within=figures["within"],
        ack=ack,
        fix=fix,
    )


# As in signalements/migrations/0010_stats_by_period.py: each bucket of a delay is 1 % wider
# than the one before; bucket k > 0 holds (GAMMA^(k-2), GAMMA^(k-1)] seconds.
DELAY_GAMMA = 1.01


def delay_of_bucket(bucket: int) -> timedelta:
    """The delay a bucket stands for: within 0.5 % of every delay it holds."""
    if bucket == 0:
        return timedelta(0)
    seconds = 2 * DELAY_GAMMA ** (abs(bucket) - 1) / (DELAY_GAMMA + 1)
    return timedelta(seconds=math.copysign(seconds, bucket))


def _histogram_percentiles(
    counts: Mapping[int, int], fractions: tuple[float, float]
) -> tuple[timedelta | None, timedelta | None]:
    """percentile_cont's answer (the value at rank f x (n - 1), interpolated between the two
    nearest ranks) read from a histogram of buckets."""
    buckets = sorted((bucket, n) for bucket, n in counts.items() if n > 0)
    total = sum(n for _bucket, n in buckets)
    if not total:
        return None, None

    def at(rank: int) -> timedelta:
        seen = 0
        for bucket, n in buckets:
            seen += n
            if rank < seen:
                return delay_of_bucket(bucket)
        return delay_of_bucket(buckets[-1][0])

    values = []
    for fraction in fractions:
        rank = fraction * (total - 1)
        low, high = at(math.floor(rank)), at(math.ceil(rank))
        values.append(low + (high - low) * (rank - math.floor(rank)))
    return values[0], values[1]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _month_after(day: date) -> date:
    """The first day of the first month starting on or after ``day``."""
    if day.day == 1:
        return day
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _kept_periods(since: datetime | None, until: datetime | None) -> tuple[Q, Q] | None:
    """The kept rows of [since, until) (whole months, then whole days) and the reports to
    read live (those of the partial days at either end), or None when all are to be read live.
    """
    try:
        first_day = None
        if since is not None:
            first_day = since.astimezone(UTC).date()
            if _day_start(first_day) < since:
                first_day += timedelta(days=1)
        end_day = until.astimezone(UTC).date() if until is not None else None
        first_month = _month_after(first_day) if first_day is not None else None
        end_month = end_day.replace(day=1) if end_day is not None else None
    except OverflowError:  # the year 9999: nothing to keep
        return None
    if first_day is not None and end_day is not None and first_day >= end_day:
        return None
    days = Q(span=Span.DAY)
    if first_month is not None and end_month is not None and first_month >= end_month:
        kept = days & Q(start__gte=first_day, start__lt=end_day)
    else:
        months = Q(span=Span.MONTH)
        if first_month is not None:
            months &= Q(start__gte=first_month)
        if end_month is not None:
            months &= Q(start__lt=end_month)
        kept = months
        if first_day is not None and first_day < first_month:
            kept |= days & Q(start__gte=first_day, start__lt=first_month)
        if end_day is not None and end_month < end_day:
            kept |= days & Q(start__gte=end_month, start__lt=end_day)
    live = Q(pk__in=[])
    if first_day is not None:
        live |= Q(created_at__lt=_day_start(first_day))
    if end_day is not None:
        live |= Q(created_at__gte=_day_start(end_day))
    return kept, live


def _bucket_of(end: str) -> Func:
    return Func(
        F(end),
        F("created_at"),
        template="signalements_delay_bucket(extract(epoch FROM %(expressions)s)::float8)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def _kept_stats(
    *, queryset: SignalementQuerySet, commune_id: int, kept: Q, live: Q
) -> dict[str, Any]:
    """The figures from the kept rows of a period and the reports of its partial days.

    ``queryset`` holds the reports of the whole period (public, in the commune or the
    territory); only those matching ``live`` are read.
    """
    by_status = dict.fromkeys(Status.values, 0)
    timed = within = 0
    for status, n, status_timed, status_within in (
        StatsPeriod.objects.filter(kept, commune_id=commune_id)
        .values("status")
        .annotate(n=Sum("n"), t=Sum("timed"), w=Sum("within"))
        .values_list("status", "n", "t", "w")
        .order_by()
    ):
        by_status[status] = by_status.get(status, 0) + n
        if status in RESOLVED_STATUSES:
            timed, within = timed + status_timed, within + status_within
    delays: dict[str, dict[int, int]] = {
        StatsDelay.Kind.ACKNOWLEDGE: {},
        StatsDelay.Kind.RESOLVE: {},
    }
    for kind, bucket, n in (
        StatsDelay.objects.filter(kept, commune_id=commune_id)
        .values("kind", "bucket")
        .annotate(total=Sum("n"))
        .values_list("kind", "bucket", "total")
        .order_by()
    ):
        delays[kind][bucket] = delays[kind].get(bucket, 0) + n
    resolved = Q(status__in=RESOLVED_STATUSES)
    live_rows = (
        # The commune by its id as well: the planner then knows how many reports it holds
        # (over half, for Nîmes) and reads only the partial days' through created_at.
        queryset.filter(live, **({"commune_id": commune_id} if commune_id else {}))
        .values("status")
        .annotate(
            ack=_bucket_of("acknowledged_at"),
            fix=_bucket_of("resolved_at"),
            n=Count("id"),
            t=Count(
                "id", filter=resolved & Q(resolved_at__isnull=False, resolve_due_at__isnull=False)
            ),
            w=Count("id", filter=resolved & Q(resolved_at__lte=F("resolve_due_at"))),
        )
        .values_list("status", "ack", "fix", "n", "t", "w")
        .order_by()
    )
    for status, ack, fix, n, status_timed, status_within in live_rows:
        by_status[status] = by_status.get(status, 0) + n
        timed, within = timed + status_timed, within + status_within
        for kind, bucket in ((StatsDelay.Kind.ACKNOWLEDGE, ack), (StatsDelay.Kind.RESOLVE, fix)):
            if bucket is not None:
                delays[kind][bucket] = delays[kind].get(bucket, 0) + n
    return _figures(
        by_status={status: by_status[status] for status in Status.values},
        timed=timed,
        within=within,
        ack=_histogram_percentiles(delays[StatsDelay.Kind.ACKNOWLEDGE], (0.5, 0.9)),
        fix=_histogram_percentiles(delays[StatsDelay.Kind.RESOLVE], (0.5, 0.9)),
    )


def signalement_figures(
    *, queryset: SignalementQuerySet, filters: Mapping[str, Any]
) -> dict[str, Any]:
    """The figures of the public reports of ``queryset``, built with the StatsFilter
    ``filters``: from the kept counts (PostgreSQL) when only a commune and a period are
    given, else from the reports themselves."""
    if connection.vendor != "postgresql" or filters.get("category") or filters.get("direction"):
        return signalement_stats(queryset=queryset)
    commune_id = WHOLE_TERRITORY
    if insee_code := filters.get("commune"):
        commune_id = (
            Commune.objects.filter(insee_code=insee_code).values_list("id", flat=True).first()
        )
        if commune_id is None:
            return signalement_stats(queryset=queryset)
    periods = _kept_periods(filters.get("since"), filters.get("until"))
    if periods is None:
        return signalement_stats(queryset=queryset)
    kept, live = periods
    return _kept_stats(queryset=queryset, commune_id=commune_id, kept=kept, live=live)


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
        figures = {
            **signalement_figures(queryset=queryset, filters=filters),
            "computed_at": timezone.now(),
        }
        if seconds:
            cache.set(key, figures, seconds)
    return figures
