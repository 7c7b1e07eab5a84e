"""Query filters of the public list of reports."""

from __future__ import annotations

import math

import django_filters
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.filters import FilterSet, NamedFilter
from backend.models import Direction
from backend.parsers import parse_int
from signalements.models import (
    OPEN_STATUSES,
    Category,
    Signalement,
    SignalementQuerySet,
    Status,
)

MAX_RADIUS_M = 50_000


def category_filter() -> NamedFilter:
    return NamedFilter(
        field_name="category_id",
        model=Category,
        by_id=True,
        message=gettext_lazy("Unknown category: give its slug or its id."),
        label=gettext_lazy("category (slug or id)"),
    )


def direction_filter() -> NamedFilter:
    return NamedFilter(
        field_name="direction_id",
        model=Direction,
        by_id=False,
        message=gettext_lazy("Unknown direction: give its slug."),
        label=gettext_lazy("direction (slug)"),
    )


class SignalementFilter(FilterSet):
    category = category_filter()
    theme = django_filters.CharFilter(method="filter_theme", label=gettext_lazy("theme"))
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label=gettext_lazy("status")
    )
    commune = django_filters.CharFilter(
        field_name="commune__insee_code", label=gettext_lazy("commune (INSEE code)")
    )
    created_since = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=gettext_lazy("created since")
    )
    created_until = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", label=gettext_lazy("created before")
    )
    latitude = django_filters.NumberFilter(method="filter_noop", label=gettext_lazy("latitude"))
    longitude = django_filters.NumberFilter(method="filter_noop", label=gettext_lazy("longitude"))
    radius = django_filters.NumberFilter(
        method="filter_noop", label=gettext_lazy("radius in metres around the point")
    )

    class Meta:
        model = Signalement
        fields: list[str] = []

    def filter_noop(self, queryset: SignalementQuerySet, name: str, value: object):  # noqa: ANN201
        return queryset

    def filter_theme(self, queryset: SignalementQuerySet, name: str, value: str):  # noqa: ANN201
        if (pk := parse_int(value, low=1)) is not None:
            return queryset.filter(category__theme_id=pk)
        return queryset.filter(category__theme__slug=value)

    def filter_queryset(self, queryset: SignalementQuerySet):  # noqa: ANN201
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        latitude, longitude, radius = (
            data.get("latitude"),
            data.get("longitude"),
            data.get("radius"),
        )
        given = [value is not None for value in (latitude, longitude, radius)]
        if not any(given):
            return queryset
        if not all(given):
            raise ValidationError({"radius": [_("Give latitude, longitude and radius together.")]})
        latitude, longitude, radius = float(latitude), float(longitude), float(radius)
        if not (math.isfinite(latitude) and -90 <= latitude <= 90):
            raise ValidationError({"latitude": [_("A valid latitude is required.")]})
        if not (math.isfinite(longitude) and -180 <= longitude <= 180):
            raise ValidationError({"longitude": [_("A valid longitude is required.")]})
        if not (math.isfinite(radius) and 0 < radius <= MAX_RADIUS_M):
            raise ValidationError(
                {
                    "radius": [
                        _("The radius must be between 0 and %(max)s m.") % {"max": MAX_RADIUS_M}
                    ]
                }
            )
        point = Point(longitude, latitude, srid=4326)
        return queryset.filter(location__distance_lte=(point, D(m=radius)))


class AgentSignalementFilter(SignalementFilter):
    """The queue's filters: the public ones, plus assignment and lateness."""

    assigned_to_me = django_filters.BooleanFilter(
        method="filter_assigned_to_me", label=gettext_lazy("assigned to me")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("overdue"))
    open = django_filters.BooleanFilter(
        method="filter_open", label=gettext_lazy("still to handle (an open status)")
    )
    direction = direction_filter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("resolve_due_at", "due"),
            ("acknowledge_due_at", "acknowledge_due"),
            ("created_at", "created"),
        ),
        label=gettext_lazy("ordering"),
    )

    def filter_assigned_to_me(self, queryset: SignalementQuerySet, name: str, value: bool):  # noqa: ANN201
        user = self.request.user if self.request else None
        return queryset.filter(assigned_to=user) if value else queryset

    def filter_open(self, queryset: SignalementQuerySet, name: str, value: bool):  # noqa: ANN201
        lookup = {"status__in": OPEN_STATUSES}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)

    def filter_overdue(self, queryset: SignalementQuerySet, name: str, value: bool):  # noqa: ANN201
        now = timezone.now()
        overdue = Signalement.objects.overdue(now).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class StatsFilter(FilterSet):
    commune = django_filters.CharFilter(field_name="commune__insee_code")
    category = category_filter()
    direction = direction_filter()
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Signalement
        fields: list[str] = []
