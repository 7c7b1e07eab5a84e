"""The moderation charter, each organisation's settings, and the decision log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models.contributions import Contribution


class ModerationSettings(models.Model):
    """How an organisation moderates: the number of flags that hides a contribution."""

    organisation = models.OneToOneField(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="moderation_settings",
    )
    flag_threshold = models.PositiveSmallIntegerField(
        _("flag threshold"),
        default=3,
        help_text=_(
            "A contribution flagged this many times is hidden until a moderator reviews it."
        ),
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return str(self.organisation)


class CharterReason(models.Model):
    """A rule of the moderation charter; every rejection or hiding cites one."""

    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="charter_reasons",
    )
    code = models.SlugField(_("code"), max_length=50)
    label = models.CharField(_("label"), max_length=200)
    article = models.CharField(
        _("article"), max_length=50, help_text=_("The article of the charter, e.g. 'Art. 4.2'.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("charter reason")
        verbose_name_plural = _("charter reasons")
        ordering = ["organisation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="one_charter_reason_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} – {self.label}"


class ModerationDecision(models.Model):
    """The audit log: who decided what on which contribution, and why. Never edited."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publish")
        REJECT = "reject", _("reject")
        HIDE = "hide", _("hide")
        RESTORE = "restore", _("restore")
        AUTO_HIDE = "auto_hide", _("hidden by flags")
        RESUBMIT = "resubmit", _("edited by the author, back to moderation")

    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Empty when the move was not a moderator's: the flags hid the contribution, "
            "or its author edited it."
        ),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("from state"), max_length=10, choices=Contribution.State)
    to_state = models.CharField(_("to state"), max_length=10, choices=Contribution.State)
    reason = models.ForeignKey(
        CharterReason,
        verbose_name=_("reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.contribution}"
