"""The public figures' counts of reports by period of filing, and their delays' histograms.

They are written by PostgreSQL triggers only, installed by
signalements/migrations/0010_stats_by_period.py, and read by
``signalements.selectors.stats`` for the figures of the whole territory or of a commune.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

# The whole territory, in the commune column of the tables below (communes start at 1).
WHOLE_TERRITORY = 0


class Span(models.TextChoices):
    MONTH = "m", _("month")
    DAY = "d", _("day")


class StatsPeriod(models.Model):
    """Public reports filed in one month or day (UTC), in one commune or the whole
    territory, by status: how many, how many have a resolution date and a target, and
    how many of those were resolved in time."""

    span = models.CharField(_("span"), max_length=1, choices=Span.choices)
    start = models.DateField(_("first day"))
    # No foreign key: rows stay behind when reports go and must not block a deletion.
    commune_id = models.IntegerField(_("commune (0: the whole territory)"))
    status = models.CharField(_("status"), max_length=20)
    n = models.IntegerField(_("reports"), default=0)
    timed = models.IntegerField(_("with a resolution date and a target"), default=0)
    within = models.IntegerField(_("resolved within target"), default=0)

    class Meta:
        verbose_name = _("figures of a period")
        verbose_name_plural = _("figures of a period")
        constraints = [
            models.UniqueConstraint(
                fields=["commune_id", "span", "start", "status"],
                name="signalements_statsperiod_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.span}{self.start} {self.commune_id} {self.status}: {self.n}"


class StatsDelay(models.Model):
    """How many public reports filed in one month or day (UTC), in one commune or the whole
    territory, took a delay of one bucket to be acknowledged (``a``) or resolved (``f``).

    Buckets are logarithmic (``signalements_delay_bucket`` in the migration): each is 1 %
    wider than the one before, so a percentile read from them is within 0.5 % of the exact
    one, and a month holds at most a few thousand rows whatever the number of reports.
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "a", _("to acknowledge")
        RESOLVE = "f", _("to resolve")

    span = models.CharField(_("span"), max_length=1, choices=Span.choices)
    start = models.DateField(_("first day"))
    commune_id = models.IntegerField(_("commune (0: the whole territory)"))
    kind = models.CharField(_("delay"), max_length=1, choices=Kind.choices)
    bucket = models.IntegerField(_("bucket"))
    n = models.IntegerField(_("reports"), default=0)

    class Meta:
        verbose_name = _("delays of a period")
        verbose_name_plural = _("delays of a period")
        constraints = [
            models.UniqueConstraint(
                fields=["commune_id", "span", "start", "kind", "bucket"],
                name="signalements_statsdelay_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.span}{self.start} {self.commune_id} {self.kind}{self.bucket}: {self.n}"
