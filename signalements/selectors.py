"""Reads about reports shared by several views."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    QuerySet,
)
from django.utils import timezone

from backend.models import User
from signalements.models import (
    OPEN_STATUSES,
    Category,
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
    return (
        Signalement.objects.public()
        .open()
        .filter(
            category=category,
            created_at__gte=since,
            location__distance_lte=(point, D(m=category.duplicate_radius_m)),
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
    counts = dict(queryset.values_list("status").annotate(n=Count("id")).order_by())
    to_ack = ExpressionWrapper(F("acknowledged_at") - F("created_at"), output_field=DurationField())
    to_fix = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    resolved = queryset.filter(resolved_at__isnull=False)
    within = resolved.filter(resolve_due_at__isnull=False, resolved_at__lte=F("resolve_due_at"))
    resolved_count = resolved.count()
    return {
        "total": sum(counts.values()),
        "by_status": {status: counts.get(status, 0) for status in Status.values},
        "hours_to_acknowledge": {
            "median": _seconds(_percentile(queryset, to_ack, 0.5)),
            "p90": _seconds(_percentile(queryset, to_ack, 0.9)),
        },
        "hours_to_resolve": {
            "median": _seconds(_percentile(queryset, to_fix, 0.5)),
            "p90": _seconds(_percentile(queryset, to_fix, 0.9)),
        },
        "resolved": resolved_count,
        "resolved_within_target_share": round(within.count() / resolved_count, 4)
        if resolved_count
        else None,
    }
