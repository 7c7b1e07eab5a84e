"""The reports app's models, one module per sub-domain, all importable from here.

- ``categories``: themes, categories, their questions and the routing rules.
- ``reports``: reports (``Signalement``), their statuses and visibility (``PUBLIC``,
  ``SignalementQuerySet``), timeline events, supporters and idempotency keys.
- ``photos``: photos of reports and where their files are stored.
- ``map``: the map's per-cell counts (``MapCell``, ``MapCellMonth``, ``MapCellPeriod``),
  written by PostgreSQL triggers only, installed by signalements/migrations/0004_map_cells.py,
  0005_map_cells_by_month.py and 0008_map_cells_by_period.py.

Migrations name the upload paths of photos from here (``signalements.models.original_upload_to``).
"""

from signalements.models.categories import Category, Question, RoutingRule, Theme
from signalements.models.map import MapCell, MapCellMonth, MapCellPeriod, MapCounts
from signalements.models.photos import (
    Photo,
    large_upload_to,
    original_upload_to,
    thumbnail_upload_to,
)
from signalements.models.reports import (
    OPEN_STATUSES,
    PUBLIC,
    EventQuerySet,
    Follow,
    IdempotencyKey,
    RejectReason,
    RoutingReason,
    Signalement,
    SignalementEvent,
    SignalementQuerySet,
    Status,
)
from signalements.models.stats import WHOLE_TERRITORY, StatsDelay, StatsPeriod

# The Open311 models (API keys, requests, updates) belong to this app, in their own module.
from signalements.open311 import models as open311_models  # noqa: F401

__all__ = [
    "OPEN_STATUSES",
    "PUBLIC",
    "Category",
    "EventQuerySet",
    "Follow",
    "IdempotencyKey",
    "MapCell",
    "MapCellMonth",
    "MapCellPeriod",
    "MapCounts",
    "Photo",
    "Question",
    "RejectReason",
    "RoutingReason",
    "RoutingRule",
    "Signalement",
    "SignalementEvent",
    "SignalementQuerySet",
    "StatsDelay",
    "StatsPeriod",
    "Status",
    "Theme",
    "WHOLE_TERRITORY",
    "large_upload_to",
    "original_upload_to",
    "thumbnail_upload_to",
]
