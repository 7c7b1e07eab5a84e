"""Reports a person may see: the public list, one's own, those nearby and a field queue."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Prefetch
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

# The defaults of the nearby search's window, stated in its query parameters.
NEARBY_DAYS = 30
NEARBY_MAX_RADIUS_M = 5000


def signalement_list_public(*, user: object = None) -> SignalementQuerySet:
    return Signalement.objects.public().for_display().with_viewer(user)


def signalement_visible(*, user: object) -> SignalementQuerySet:
    return Signalement.objects.visible_to(user).for_display().with_viewer(user)


def signalement_nearby(
    *,
    category: Category,
    latitude: float,
    longitude: float,
    days: int = NEARBY_DAYS,
    radius: int | None = None,
    user: object = None,
) -> SignalementQuerySet:
    """Open public reports of the category filed in the last ``days`` within ``radius`` metres
    of the point (the category's duplicate radius by default), nearest first."""
    point = Point(longitude, latitude, srid=4326)
    since = timezone.now() - timedelta(days=days)
    radius = radius or category.duplicate_radius_m
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
        .with_viewer(user)
        .annotate(distance=Distance("location", point))
        .order_by("distance", "-created_at", "-id")
    )


def signalement_list_mine(*, user: User) -> SignalementQuerySet:
    """The user's own reports, private ones included, with their public timeline."""
    return (
        Signalement.objects.filter(reporter=user)
        .for_display()
        .with_viewer(user)
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
