"""Public figures of the reports, their cache and its key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from signalements.models import SignalementQuerySet, Status

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


def signalement_stats(*, queryset: SignalementQuerySet) -> dict[str, Any]:
    """Public figures: counts by status, delays in hours (median and 90th percentile), targets."""
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
            resolved=Count("id", filter=resolved),
            timed=Count("id", filter=timed),
            within=Count("id", filter=within),
            ack=PercentileCont(to_ack, [0.5, 0.9], output_field=durations),
            fix=PercentileCont(to_fix, [0.5, 0.9], output_field=durations),
        )
        for name in ("ack", "fix"):
            figures[f"{name}_50"], figures[f"{name}_90"] = figures.pop(name) or (None, None)
    else:
        figures = queryset.aggregate(
            **counts,
            resolved=Count("id", filter=resolved),
            timed=Count("id", filter=timed),
            within=Count("id", filter=within),
        )
        figures.update(
            ack_50=_percentile(queryset, to_ack, 0.5),
            ack_90=_percentile(queryset, to_ack, 0.9),
            fix_50=_percentile(queryset, to_fix, 0.5),
            fix_90=_percentile(queryset, to_fix, 0.9),
        )
    by_status = {status: figures[f"n_{status}"] for status in Status.values}
    timed_count = figures["timed"]
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
        "resolved": figures["resolved"],
        "resolved_within_target_share": round(figures["within"] / timed_count, 4)
        if timed_count
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
