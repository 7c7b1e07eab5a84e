"""Devices, interests and preferences, the inbox, and the outboxes of push and email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Kinds of notification a person can tune."""

    NEW_CONSULTATION = "new_consultation", _("new consultation near me")
    MY_REPORTS = "my_reports", _("my reports")
    CONTRIBUTION_ANSWERS = "contribution_answers", _("answers to my contributions")
    RESTITUTIONS = "restitutions", _("restitutions")
    MEETING_REMINDERS = "meeting_reminders", _("meeting reminders")
    MODERATION = "moderation", _("moderation")
    STAFF = "staff", _("work of my direction")
    PANEL = "panel", _("my citizen panel")


class Channel(models.TextChoices):
    PUSH = "push", _("push")
    EMAIL = "email", _("email")


def default_channels() -> dict[str, list[str]]:
    """Push on for everything; email left for people to turn on."""
    return {kind: [Channel.PUSH.value] for kind in Kind.values}


# The deactivation reason of a device its owner forgot: deleted once out of its FCM topic.
FORGOTTEN = "forgotten"


class DeviceQuerySet(models.QuerySet["Device"]):
    def active(self) -> DeviceQuerySet:
        return self.filter(is_active=True)


class Device(models.Model):
    """A phone (or browser) that can receive push notifications through FCM."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", "Web"

    token = models.CharField(_("registration token"), max_length=4096, unique=True)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    locale = models.CharField(_("locale"), max_length=16, default="fr")
    app_version = models.CharField(_("app version"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_reason = models.CharField(_("reason for deactivation"), max_length=200, blank=True)
    topic = models.CharField(
        _("subscribed topic"),
        max_length=100,
        blank=True,
        help_text=_("The FCM topic this device is subscribed to, as confirmed by FCM."),
    )
    wanted_topic = models.CharField(
        _("wanted topic"),
        max_length=100,
        blank=True,
        help_text=_("The FCM topic its interests call for; kept in step by a worker."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [models.Index(fields=["topic"], name="device_topic")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} …{self.token[-8:]}"

    @property
    def language(self) -> str:
        return "en" if self.locale.lower().startswith("en") else "fr"


class Preferences(models.Model):
    """Interests and channels of a user, or of a device used without an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    device = models.OneToOneField(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    communes = models.ManyToManyField(
        "geo.Commune", verbose_name=_("communes of interest"), blank=True
    )
    themes = models.JSONField(_("themes of interest"), default=list, blank=True)
    channels = models.JSONField(
        _("channels per kind"),
        default=default_channels,
        help_text=_("For each kind of notification, the channels wanted (push, email)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, device__isnull=True)
                | Q(user__isnull=True, device__isnull=False),
                name="preferences_of_user_or_device",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.device)

    def wants(self, kind: str, channel: str) -> bool:
        return channel in self.channels.get(kind, default_channels().get(kind, []))


class AudienceProfile(models.Model):
    """A set of interests (communes, themes, language) shared by devices: one FCM topic.

    Each device is subscribed to exactly one profile topic, so a broadcast sent to
    every matching topic reaches each device once, with as many FCM requests as
    there are matching profiles, whatever the number of devices.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    topic = models.CharField(_("topic"), max_length=100, unique=True)
    language = models.CharField(_("language"), max_length=8)
    communes = models.ManyToManyField("geo.Commune", verbose_name=_("communes"), blank=True)

    class Meta:
        verbose_name = _("audience profile")
        verbose_name_plural = _("audience profiles")

    def __str__(self) -> str:
        return self.topic


class ProfileTheme(models.Model):
    """Themes of a profile, as rows so that audiences can be matched in SQL."""

    profile = models.ForeignKey(
        AudienceProfile, on_delete=models.CASCADE, related_name="theme_rows"
    )
    theme = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "theme"], name="unique_profile_theme")
        ]

    def __str__(self) -> str:
        return self.theme


class Notification(models.Model):
    """One notification in one person's inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("body (French)"), blank=True)
    body_en = models.TextField(_("body (English)"), blank=True)
    link_type = models.CharField(_("linked object type"), max_length=40, blank=True)
    link_id = models.CharField(_("linked object id"), max_length=64, blank=True)
    collapse_key = models.CharField(_("collapse key"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="inbox_order"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="inbox_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.title_fr}"

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_fr


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    DEAD = "dead", _("dead token")
    SKIPPED = "skipped", _("skipped")


class OutboxRow(models.Model):
    """What every outbox row has: a state, attempts and a lease for the worker holding it."""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_by = models.UUIDField(_("claimed by"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Delivery(OutboxRow):
    """A notification on its way to one device (push) or to the person's mailbox (email)."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    message_id = models.CharField(_("provider message id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "device"],
                condition=Q(device__isnull=False),
                name="one_push_per_notification_device",
            ),
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(device__isnull=True),
                name="one_email_per_notification",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.device or self.channel} ({self.status})"


class Broadcast(models.Model):
    """An alert to everyone interested in some communes or themes (a consultation opens)."""

    key = models.CharField(
        _("event key"),
        max_length=200,
        unique=True,
        help_text=_("Identifies the event, so that it is never broadcast twice."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("body (French)"), blank=True)
    body_en = models.TextField(_("body (English)"), blank=True)
    link_type = models.CharField(_("linked object type"), max_length=40, blank=True)
    link_id = models.CharField(_("linked object id"), max_length=64, blank=True)
    communes = models.ManyToManyField("geo.Commune", verbose_name=_("communes"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return self.title_fr


class BroadcastSend(OutboxRow):
    """A broadcast on its way to one profile topic."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="sends")
    topic = models.CharField(_("topic"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    message_id = models.CharField(_("provider message id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("broadcast send")
        verbose_name_plural = _("broadcast sends")
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "topic"], name="one_send_per_topic")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="broadcast_send_due")]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.topic} ({self.status})"


class OutgoingEmail(OutboxRow):
    """An email to an address, with or without an account (e.g. the actor directory)."""

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    key = models.CharField(
        _("event key"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("When set, the same email is never sent twice to the same address."),
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [models.UniqueConstraint(fields=["key", "to"], name="one_email_per_key")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
