"""The published results of a consultation and their documents."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from contributions.models._common import DOCUMENT_EXTENSIONS
from contributions.models.consultations import Consultation


class Restitution(models.Model):
    """The published results of a consultation, written by the owning direction."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        PARTICIPANTS = "participants", _("participants only")

    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="restitution",
    )
    body = models.TextField(_("text"), help_text=_("Rich text, sanitised."))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("restitution")
        verbose_name_plural = _("restitutions")

    def __str__(self) -> str:
        return str(self.consultation)


class RestitutionDocument(models.Model):
    restitution = models.ForeignKey(
        Restitution,
        verbose_name=_("restitution"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="consultations/restitutions/",
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)

    class Meta:
        verbose_name = _("restitution document")
        verbose_name_plural = _("restitution documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
