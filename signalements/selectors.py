"""Reads about reports shared by several views."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Prefetch
from django.utils import timezone

from backend.models import User
from signalements.models import Category, Signalement, SignalementEvent, SignalementQuerySet

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
                queryset=SignalementEvent.objects.public().order_by("created_at", "id"),
                to_attr="public_events",
            )
        )
    )
