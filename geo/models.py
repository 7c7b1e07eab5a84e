"""Communes of the territory."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

# A commune's boundaries: thousands of vertices each with real (IGN) data, read only where
# they are drawn; lists that show a name, a code or a postcode leave them out.
BOUNDARIES = ("geometry", "geometry_simplified")


class CommuneQuerySet(models.QuerySet):
    def without_boundaries(self) -> CommuneQuerySet:
        return self.defer(*BOUNDARIES)


class Commune(models.Model):
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=200)
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    geometry = models.MultiPolygonField(_("boundary"), srid=4326, spatial_index=True)
    geometry_simplified = models.MultiPolygonField(
        _("simplified boundary"),
        srid=4326,
        null=True,
        blank=True,
        spatial_index=False,
        help_text=_("Lighter boundary served to phones by default."),
    )
    organisation = models.OneToOneField(
        "backend.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commune",
        help_text=_("The collectivité that is this commune."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"
