"""Consultations, their themes, phases and status, and who follows them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


class Theme(models.Model):
    """What a consultation is about; slugs match the interests phones subscribe to."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("consultation theme")
        verbose_name_plural = _("consultation themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    """Where a consultation stands, derived from its dates."""

    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    RESTITUTION = "restitution", _("restitution published")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def released(self) -> ConsultationQuerySet:
        """Out of draft: the public ones and those of a citizen panel."""
        return self.filter(is_published=True)

    def published(self) -> ConsultationQuerySet:
        """What the public sees: every published consultation not kept to a panel, forever."""
        return self.released().filter(panel__isnull=True)

    def upcoming(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.released().filter(opens_at__gt=now or timezone.now())

    def open(self, now: datetime | None = None) -> ConsultationQuerySet:
        now = now or timezone.now()
        return self.released().filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.released().filter(
            closes_at__lte=now or timezone.now(), restitution_published_at__isnull=True
        )

    def with_restitution(self) -> ConsultationQuerySet:
        return self.released().filter(restitution_published_at__isnull=False)

    def with_status(self, status: str, now: datetime | None = None) -> ConsultationQuerySet:
        if status == Status.UPCOMING:
            return self.upcoming(now).filter(restitution_published_at__isnull=True)
        if status == Status.OPEN:
            return self.open(now).filter(restitution_published_at__isnull=True)
        if status == Status.CLOSED:
            return self.closed(now)
        return self.with_restitution()

    def visible_to(self, user: User | AnonymousUser | None) -> ConsultationQuerySet:
        """Published ones, those of the panels the user sits on, and everything of the
        organisations the user works for (drafts and panels' consultations)."""
        if user is None or not user.is_authenticated:
            return self.published()
        if user.is_superuser:
            return self.all()
        from contributions.models.panel import Panel

        return self.filter(
            Q(is_published=True, panel__isnull=True)
            | Q(is_published=True, panel__in=Panel.objects.with_member(user).values("pk"))
            | Q(organisation__roles__user=user)
            | Q(organisation__directions__memberships__user=user)
        ).distinct()


class Consultation(models.Model):
    """A project submitted to public participation, or relayed from another body."""

    class Kind(models.TextChoices):
        REGULATORY = "regulatory", _("regulatory")
        VOLUNTARY = "voluntary", _("voluntary")

    class LegalBasis(models.TextChoices):
        PLU = "plu", _("local urban plan (PLU)")
        PRIOR_CONSULTATION = "concertation_prealable", _("prior consultation")
        PUBLIC_INQUIRY = "enquete_publique", _("public inquiry")
        ELECTRONIC_CONSULTATION = "participation_electronique", _("electronic public consultation")
        OTHER = "autre", _("other")

    class Moderation(models.TextChoices):
        A_PRIORI = "a_priori", _("a priori (validated before publication)")
        A_POSTERIORI = "a_posteriori", _("a posteriori (published at once)")

    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("owning direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Rich text, sanitised."))
    body_en = models.TextField(
        _("body in English"), blank=True, help_text=_("Rich text, sanitised.")
    )
    cover_image = models.ImageField(_("cover image"), upload_to="consultations/covers/", blank=True)
    cover_alt = models.CharField(_("cover image alternative text"), max_length=300, blank=True)
    cover_alt_en = models.CharField(
        _("cover image alternative text in English"), max_length=300, blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="consultations"
    )
    communes = models.ManyToManyField(
        "geo.Commune", verbose_name=_("communes"), blank=True, related_name="consultations"
    )
    area = models.MultiPolygonField(
        _("area"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("The perimeter of the project, when narrower than whole communes."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VOLUNTARY)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=40,
        choices=LegalBasis.choices,
        blank=True,
        help_text=_("For a regulatory consultation, the law that requires it."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    contributions_allowed = models.BooleanField(_("contributions allowed"), default=True)
    comments_allowed = models.BooleanField(_("comments allowed"), default=False)
    questions_allowed = models.BooleanField(_("questions allowed"), default=True)
    moderation_mode = models.CharField(
        _("moderation mode"),
        max_length=20,
        choices=Moderation.choices,
        default=Moderation.A_PRIORI,
    )
    is_published = models.BooleanField(_("published"), default=False)
    panel = models.ForeignKey(
        "contributions.Panel",
        verbose_name=_("citizen panel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text=_("When set, only the members of this panel see and take part."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    restitution_published_at = models.DateTimeField(
        _("restitution published at"), null=True, blank=True
    )
    opening_alert_sent_at = models.DateTimeField(
        _("opening alert sent at"),
        null=True,
        blank=True,
        help_text=_("Set once when residents and actors were told of the opening."),
    )
    external_url = models.URLField(
        _("external link"),
        blank=True,
        help_text=_("For a relayed consultation, where people take part."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("The platform a relayed consultation was imported from."),
    )
    source_id = models.CharField(_("identifier at the source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after"
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="one_consultation_per_source_id",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/api/v1/consultations/{self.slug}/"

    @property
    def is_relayed(self) -> bool:
        """Owned by another platform: people take part there, not here."""
        return bool(self.external_url)

    def status_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.restitution_published_at is not None:
            return Status.RESTITUTION
        if now < self.opens_at:
            return Status.UPCOMING
        if now < self.closes_at:
            return Status.OPEN
        return Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def accepts_participation(self) -> bool:
        return not self.is_relayed and self.is_published and self.status == Status.OPEN


class Phase(models.Model):
    """A step of the timeline of a consultation."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["position", "starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class ConsultationFollow(models.Model):
    """Someone who wants to hear of new phases, meetings and the restitution."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consultation_follows",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation follow")
        verbose_name_plural = _("consultation follows")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_follow_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.consultation}"


class OrganisationFollow(models.Model):
    """Someone who wants to hear when an organisation opens a consultation."""

    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organisation_follows",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation follow")
        verbose_name_plural = _("organisation follows")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_organisation_follow_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
