"""The map's per-cell counts of public reports.

They are written by PostgreSQL triggers only, installed by
signalements/migrations/0004_map_cells.py, 0005_map_cells_by_month.py and
0008_map_cells_by_period.py.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class MapCounts(models.Model):
    """How many public reports one grid cell of the map holds, by category and status."""

    level = models.PositiveSmallIntegerField(_("zoom level"))
    cx = models.IntegerField(_("cell column"))
    cy = models.IntegerField(_("cell row"))
    # No foreign key: rows of emptied cells stay behind and must not block a deletion.
    category_id = models.IntegerField(_("category"))
    status = models.CharField(_("status"), max_length=20)
    n = models.IntegerField(_("reports"), default=0)
    sum_x = models.FloatField(_("sum of longitudes"), default=0)
    sum_y = models.FloatField(_("sum of latitudes"), default=0)

    class Meta:
        abstract = True


class MapCell(MapCounts):
    """The counts of each zoom level (0 to 15), cell, category and status.

    With the sums of the coordinates for the cluster's centre. PostgreSQL keeps it up to
    date by itself: statement triggers on the reports table add and subtract what each
    INSERT, UPDATE or DELETE changes (migrations/0004_map_cells.py). The map below zoom
    16 then adds up the rows of the viewport's cells, whatever the number of reports.
    Unused on SpatiaLite.
    """

    class Meta:
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "category_id", "status"],
                name="signalements_mapcell_key",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.cx},{self.cy}: {self.n}"


class MapCellMonth(MapCounts):
    """MapCell's counts split by month of filing (UTC), for maps of a period.

    Kept by the same kind of triggers (migrations/0005_map_cells_by_month.py). A map
    "since" a date adds up the whole months from there and groups only the reports of the
    first, partial month live.
    """

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("map cell of a month")
        verbose_name_plural = _("map cells of a month")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "category_id", "status", "month"],
                name="signalements_mapcellmonth_key",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.cx},{self.cy} {self.month:%Y-%m}: {self.n}"


class MapCellPeriod(models.Model):
    """Public reports per zoom level, cell and period of filing (a month or a day, UTC), all
    categories and statuses together: the map of a period with no other filter.

    Kept by triggers (migrations/0008_map_cells_by_period.py) on the reports and on a
    category's visibility, so it holds only what is public. A map "since" a date adds up
    the whole months, then the whole days of the first month, and groups live only the
    reports of the first, partial day: a few dozen rows per cell, whatever the size.
    """

    class Span(models.TextChoices):
        MONTH = "m", _("month")
        DAY = "d", _("day")

    level = models.PositiveSmallIntegerField(_("zoom level"))
    span = models.CharField(_("span"), max_length=1, choices=Span.choices)
    cx = models.IntegerField(_("cell column"))
    cy = models.IntegerField(_("cell row"))
    start = models.DateField(_("first day"))
    n = models.IntegerField(_("reports"), default=0)
    sum_x = models.FloatField(_("sum of longitudes"), default=0)
    sum_y = models.FloatField(_("sum of latitudes"), default=0)

    class Meta:
        verbose_name = _("map cell of a period")
        verbose_name_plural = _("map cells of a period")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "span", "start", "cx", "cy"],
                name="signalements_mapcellperiod_key",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.cx},{self.cy} {self.span}{self.start}: {self.n}"
