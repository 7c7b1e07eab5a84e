"""Consultations (Aggloforum): phases, meetings, documents, follows, actors, contact messages."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User

DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "webp"]


class Theme(models.Model):
    """What a consultation is about; slugs match the interests phones subscribe to."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)

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
    def published(self) -> ConsultationQuerySet:
        """What the public sees: every published consultation, forever."""
        return self.filter(is_published=True)

    def upcoming(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.published().filter(opens_at__gt=now or timezone.now())

    def open(self, now: datetime | None = None) -> ConsultationQuerySet:
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.published().filter(
            closes_at__lte=now or timezone.now(), restitution_published_at__isnull=True
        )

    def with_restitution(self) -> ConsultationQuerySet:
        return self.published().filter(restitution_published_at__isnull=False)

    def with_status(self, status: str, now: datetime | None = None) -> ConsultationQuerySet:
        if status == Status.UPCOMING:
            return self.upcoming(now).filter(restitution_published_at__isnull=True)
        if status == Status.OPEN:
            return self.open(now).filter(restitution_published_at__isnull=True)
        if status == Status.CLOSED:
            return self.closed(now)
        return self.with_restitution()

    def visible_to(self, user: User | AnonymousUser | None) -> ConsultationQuerySet:
        """Published ones, plus the drafts of organisations the user works for."""
        if user is None or not user.is_authenticated:
            return self.published()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(is_published=True)
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
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Rich text, sanitised."))
    cover_image = models.ImageField(_("cover image"), upload_to="consultations/covers/", blank=True)
    cover_alt = models.CharField(_("cover image alternative text"), max_length=300, blank=True)
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
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["position", "starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A public meeting (réunion publique, atelier, permanence) of a consultation."""

    class Registration(models.TextChoices):
        CLOSED = "closed", _("no registration")
        PLATFORM = "platform", _("on the platform")
        EXTERNAL = "external", _("external link")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    registration = models.CharField(
        _("registration"),
        max_length=10,
        choices=Registration.choices,
        default=Registration.CLOSED,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingRegistration(models.Model):
    """A seat at a meeting, or a place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting registration")
        verbose_name_plural = _("meeting registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}"


class Document(models.Model):
    """A PDF or an image attached to a consultation."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="consultations/documents/",
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


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


class ContactMessage(models.Model):
    """A question or an idea sent through the contact form, handled by staff."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        IDEA = "idea", _("idea")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        REDIRECTED = "redirected", _("redirected to a direction")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contact_messages",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages",
    )
    email = models.EmailField(_("email address"))
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("direction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages",
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.email}"


# Contributions and moderation --------------------------------------------------------


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


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        return self.filter(state=Contribution.State.PUBLISHED, consultation__is_published=True)

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
        CharterReason,
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
        CharterReason, verbose_name=_("reason"), on_delete=models.PROTECT, related_name="flags"
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


class ModerationDecision(models.Model):
    """The audit log: who decided what on which contribution, and why. Never edited."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publish")
        REJECT = "reject", _("reject")
        HIDE = "hide", _("hide")
        RESTORE = "restore", _("restore")
        AUTO_HIDE = "auto_hide", _("hidden by flags")

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
        help_text=_("Empty when the flags hid the contribution."),
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
