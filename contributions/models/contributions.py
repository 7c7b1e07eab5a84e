"""What participants write (ideas, questions, comments), supports, flags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models.consultations import Consultation, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        """What the public sees: published, in a public consultation."""
        return self.filter(
            state=Contribution.State.PUBLISHED,
            consultation__is_published=True,
            consultation__panel__isnull=True,
        )

    def published_to_panels_of(self, user: User) -> ContributionQuerySet:
        """Published in the consultations of the panels the user sits on."""
        from contributions.models.panel import Panel

        return self.filter(
            state=Contribution.State.PUBLISHED,
            consultation__is_published=True,
            consultation__panel__in=Panel.objects.with_member(user).values("pk"),
        )

    def moderated_by(self, user: User) -> ContributionQuerySet:
        """Contributions to the consultations of the organisations the user moderates."""
        if user.is_superuser:
            return self.all()
        from backend.models import OrganisationRole

        organisations = OrganisationRole.objects.moderators().filter(user=user)
        return self.filter(consultation__organisation__in=organisations.values("organisation"))

    def visible_to(self, user: User | AnonymousUser | None) -> ContributionQuerySet:
        """The public sees what is published; authors their own; moderators everything theirs."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.published()
        return self.filter(
            Q(pk__in=self.model.objects.published().values("pk"))
            | Q(pk__in=self.model.objects.published_to_panels_of(user).values("pk"))
            | Q(author=user)
            | Q(pk__in=self.model.objects.moderated_by(user).values("pk"))
        )

    def awaiting_moderation(self) -> ContributionQuerySet:
        """The queue: waiting for a first review, or hidden by flags pending review."""
        return self.filter(
            Q(state=Contribution.State.PENDING)
            | Q(state=Contribution.State.HIDDEN, flagged_at__isnull=False)
        )


class Contribution(models.Model):
    """What a participant writes in a consultation: an idea, a question or a comment."""

    MAX_DEPTH = 2

    class Kind(models.TextChoices):
        IDEA = "idea", _("idea / proposal")
        QUESTION = "question", _("question")
        COMMENT = "comment", _("comment")

    class State(models.TextChoices):
        PENDING = "pending", _("pending moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        HIDDEN = "hidden", _("hidden")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("replies to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    body = models.TextField(_("text"), max_length=5000)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    state = models.CharField(
        _("moderation state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    flagged_at = models.DateTimeField(
        _("hidden by flags at"),
        null=True,
        blank=True,
        help_text=_("Set when flags reached the threshold; cleared by a moderator's decision."),
    )
    reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    moderation_reason = models.ForeignKey(
        "contributions.CharterReason",
        verbose_name=_("moderation reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderation_message = models.TextField(_("moderation message"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["consultation", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ContributionSupport(models.Model):
    """« Je soutiens »: one per person and contribution."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="contribution_supports",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="one_support_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} + {self.contribution}"


class ContributionFlag(models.Model):
    """A participant's report that a contribution breaks the charter."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="flags",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="contribution_flags",
    )
    reason = models.ForeignKey(
        "contributions.CharterReason",
        verbose_name=_("reason"),
        on_delete=models.PROTECT,
        related_name="flags",
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="one_flag_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ! {self.contribution}"
