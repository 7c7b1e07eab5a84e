"""Photos of reports: a private original and public derivatives without metadata."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from signalements.storage import private_storage


def original_upload_to(instance: Photo, filename: str) -> str:
    return f"signalements/originals/{instance.signalement_id}/{filename}"


def large_upload_to(instance: Photo, filename: str) -> str:
    return f"signalements/photos/{instance.signalement_id}/{filename}"


def thumbnail_upload_to(instance: Photo, filename: str) -> str:
    return f"signalements/thumbnails/{instance.signalement_id}/{filename}"


class Photo(models.Model):
    """A photo of a report: a private original and public derivatives without metadata."""

    class Status(models.TextChoices):
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    signalement = models.ForeignKey(
        "Signalement",
        verbose_name=_("signalement"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    event = models.ForeignKey(
        "SignalementEvent",
        verbose_name=_("timeline step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        help_text=_("Set for a photo of the fix, shown with its step of the timeline."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROCESSING
    )
    original = models.FileField(
        _("original"),
        upload_to=original_upload_to,
        storage=private_storage,
        blank=True,
        max_length=300,
        help_text=_("The file as sent, with its metadata; private, never served publicly."),
    )
    large = models.FileField(
        _("large image"), upload_to=large_upload_to, blank=True, max_length=300
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_upload_to, blank=True, max_length=300
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    # The processing is a durable queue of its own: a worker claims the photo for a
    # while; a photo still processing once the claim ran out is taken up again by the
    # sweep, until too many attempts make it failed.
    attempts = models.PositiveSmallIntegerField(
        _("processing attempts"), default=0, help_text=_("Claims of the photo by a worker.")
    )
    claimed_until = models.DateTimeField(
        _("claimed until"),
        null=True,
        blank=True,
        help_text=_("Until then a worker is processing the photo, or the next try waits."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["claimed_until"],
                name="signalements_photo_pending",
                condition=models.Q(status="processing"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.signalement} photo {self.position}"
