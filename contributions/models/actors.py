"""The actor directory: local bodies told by email when a consultation opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from contributions.models.consultations import Theme


class ActorQuerySet(models.QuerySet["Actor"]):
    def listed(self) -> ActorQuerySet:
        """The public directory: validated actors who chose to appear."""
        return self.filter(validated_at__isnull=False, is_public=True)


class Actor(models.Model):
    """A local actor of the directory, told by email when a consultation opens."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("association")
        COMPANY = "entreprise", _("company")
        COLLECTIVE = "collectif", _("residents' collective")
        INSTITUTION = "institution", _("institution")
        CITIZEN = "citoyen", _("citizen")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="actors",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    communes = models.ManyToManyField(
        "geo.Commune", verbose_name=_("communes of interest"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes of interest"), blank=True, related_name="actors"
    )
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Kept private; used to announce consultations.")
    )
    email_consent = models.BooleanField(
        _("consents to be emailed"),
        default=False,
        help_text=_("Told by email when a consultation on its communes or themes opens."),
    )
    is_public = models.BooleanField(_("listed in the public directory"), default=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
