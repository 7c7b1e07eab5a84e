"""API keys of Open311 clients, the reports they filed and the updates they pushed back."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311ApiKey(models.Model):
    """A key issued by an admin to a client system; only its SHA-256 hash is stored."""

    name = models.CharField(_("name"), max_length=120, help_text=_("Who uses the key."))
    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="open311_keys",
        help_text=_("A key may push updates only on reports of this organisation's directions."),
    )
    key_prefix = models.CharField(
        _("key prefix"),
        max_length=16,
        unique=True,
        help_text=_("The public start of the key, to recognise and revoke it."),
    )
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64)
    can_update = models.BooleanField(
        _("may push status updates"),
        default=False,
        help_text=_("Allows POST servicerequestupdates, for a commune's own system."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Open311Request(models.Model):
    """What an Open311 client sent beside the report itself."""

    signalement = models.OneToOneField(
        "signalements.Signalement",
        verbose_name=_("signalement"),
        on_delete=models.CASCADE,
        related_name="open311",
    )
    api_key = models.ForeignKey(
        Open311ApiKey,
        verbose_name=_("API key"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    media_url = models.URLField(
        _("media URL"),
        max_length=1000,
        blank=True,
        help_text=_("As sent by the client; never downloaded by this server."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"#{self.signalement_id} via {self.api_key}"


class Open311Update(models.Model):
    """A status change pushed by a client, once per (key, client's update id)."""

    api_key = models.ForeignKey(
        Open311ApiKey,
        verbose_name=_("API key"),
        on_delete=models.PROTECT,
        related_name="updates",
    )
    update_id = models.CharField(
        _("client's update id"), max_length=100, help_text=_("The id in the client's system.")
    )
    signalement = models.ForeignKey(
        "signalements.Signalement",
        verbose_name=_("signalement"),
        on_delete=models.CASCADE,
        related_name="open311_updates",
    )
    event = models.ForeignKey(
        "signalements.SignalementEvent",
        verbose_name=_("timeline step"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("Open311 status"), max_length=40)
    media_url = models.URLField(
        _("media URL"),
        max_length=1000,
        blank=True,
        help_text=_("As sent by the client; never downloaded by this server."),
    )
    updated_at_source = models.DateTimeField(
        _("date in the client's system"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 update")
        verbose_name_plural = _("Open311 updates")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["api_key", "update_id"], name="unique_open311_update")
        ]

    def __str__(self) -> str:
        return f"{self.update_id} → #{self.signalement_id}"
