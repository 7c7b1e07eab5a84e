"""The owning direction's official answer to a contribution."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from contributions.models.contributions import Contribution


class OfficialAnswer(models.Model):
    """The owning direction's answer to a contribution."""

    class Status(models.TextChoices):
        RETAINED = "retained", _("retained")
        UNDER_STUDY = "under_study", _("under study")
        NOT_RETAINED = "not_retained", _("not retained")
        ALREADY_PLANNED = "already_planned", _("already planned")

    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="answer",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    body = models.TextField(_("text"), max_length=5000)
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("direction"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")

    def __str__(self) -> str:
        return f"{self.get_status_display()} – {self.contribution}"
