"""Reports, their statuses and visibility, timeline, supporters and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.models import Direction
from geo.models import BOUNDARIES
from signalements.models.categories import Category, RoutingRule
from signalements.models.photos import Photo


class Status(models.TextChoices):
    # Labels are shown as they are ("status_label"): capitalised, in a context of their own
    # so that a "Closed" elsewhere (a consultation) may read differently.
    NEW = "nouveau", pgettext_lazy("report status", "New")
    ACKNOWLEDGED = "pris_en_compte", pgettext_lazy("report status", "Acknowledged")
    SCHEDULED = "programme", pgettext_lazy("report status", "Scheduled")
    IN_PROGRESS = "en_cours", pgettext_lazy("report status", "In progress")
    RESOLVED = "resolu", pgettext_lazy("report status", "Resolved")
    CLOSED = "clos", pgettext_lazy("report status", "Closed")
    REJECTED = "rejete", pgettext_lazy("report status", "Rejected")
    REOPENED = "reouvert", pgettext_lazy("report status", "Reopened")


OPEN_STATUSES = [
    Status.NEW,
    Status.ACKNOWLEDGED,
    Status.SCHEDULED,
    Status.IN_PROGRESS,
    Status.REOPENED,
]


class RejectReason(models.TextChoices):
    NOT_OUR_COMPETENCE = "hors_competence", _("not our competence")
    DUPLICATE = "doublon", _("duplicate")
    UNFOUNDED = "non_fonde", _("unfounded")
    ALREADY_DONE = "deja_traite", _("already dealt with")


class RoutingReason(models.TextChoices):
    RULE_AREA = "rule_area", _("rule for an area")
    RULE_COMMUNE = "rule_commune", _("rule for the commune")
    COMPETENCE_COMMUNE = "competence_commune", _("communal competence")
    COMPETENCE_AGGLOMERATION = "competence_agglomeration", _("agglomeration competence")
    TRIAGE = "triage", _("triage")


# What makes a report public, as lookups: ``public()`` filters on them and the map's SQL is
# written from them (``signalements.selectors.map.public_sql``).
PUBLIC = {"is_public": True, "category__is_public": True}


class SignalementQuerySet(models.QuerySet["Signalement"]):
    def public(self) -> SignalementQuerySet:
        """Reports anyone may see: public reports of public categories."""
        return self.filter(**PUBLIC)

    def visible_to(self, user: object) -> SignalementQuerySet:
        """Public reports, plus one's own, plus the reports one is staff of."""
        if not getattr(user, "is_authenticated", False):
            return self.public()
        return self.public() | self.filter(reporter=user) | self.staffed_by(user)

    def open(self) -> SignalementQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_agent(self, user: object) -> SignalementQuerySet:
        """The queue of a field agent or manager: reports routed to their directions."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(direction__in=Direction.objects.of_user(user))

    def staffed_by(self, user: object) -> SignalementQuerySet:
        """Reports the user is staff of: those of their queue, and all for a superuser.

        The one definition of a report's staff: who moves it, who sees it private and
        who reads its staff view all follow it.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.for_agent(user)

    def overdue(self, now: datetime) -> SignalementQuerySet:
        """Open reports past their due date to acknowledge or to resolve."""
        return self.open().filter(
            Q(status__in=[Status.NEW], acknowledge_due_at__lt=now) | Q(resolve_due_at__lt=now)
        )

    def with_viewer(self, user: object) -> SignalementQuerySet:
        """Each report with what the viewer is to it, for screens to show without a query
        per row: ``viewer_follows`` (a supporter) and ``viewer_is_staff`` (``staffed_by``)."""
        if not getattr(user, "is_authenticated", False):
            no = Value(False, output_field=BooleanField())
            return self.annotate(viewer_follows=no, viewer_is_staff=no)
        return self.annotate(
            viewer_follows=Exists(Follow.objects.filter(signalement=OuterRef("pk"), user=user)),
            viewer_is_staff=Exists(Signalement.objects.staffed_by(user).filter(pk=OuterRef("pk"))),
        )

    def for_display(self) -> SignalementQuerySet:
        """Everything a list serialises, fetched in a fixed number of queries."""
        # The count is a correlated subquery, not Count("follows"): an aggregate makes the
        # database join and group every matching report before the page's LIMIT. The
        # commune's boundaries are not needed by any list and weigh kilobytes per row.
        supporters = (
            Follow.objects.filter(signalement=OuterRef("pk"))
            .order_by()
            .values("signalement")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.select_related("category__theme", "commune", "direction", "reporter")
            .defer(*(f"commune__{name}" for name in BOUNDARIES))
            .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("position", "id")))
            .annotate(supporters_count=Coalesce(Subquery(supporters[:1]), 0))
        )


class Signalement(models.Model):
    """A geolocated report of a problem in public space."""

    class Source(models.TextChoices):
        APP = "app", _("app")
        DEMO = "demo", _("demo data")
        OPEN311 = "open311", _("Open311 client")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="signalements"
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    location = models.PointField(_("location"), srid=4326, spatial_index=True)
    accuracy_m = models.FloatField(
        _("accuracy (m)"), null=True, blank=True, help_text=_("As reported by the phone's GPS.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="signalements",
    )
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signalements",
        help_text=_("The direction in charge of the report."),
    )
    routing_rule = models.ForeignKey(
        RoutingRule,
        verbose_name=_("routing rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routing_reason = models.CharField(
        _("routing reason"), max_length=30, choices=RoutingReason.choices, blank=True
    )
    routing_explanation = models.CharField(
        _("routing explanation"),
        max_length=300,
        blank=True,
        help_text=_("Why the report went to its direction; shown to staff only."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signalements",
    )
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Hide the reporter's name from the public.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Copied from the category at creation; staff may unpublish a report."),
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("Answers to the category's questions.")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.APP, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_signalements",
    )
    acknowledge_due_at = models.DateTimeField(_("to acknowledge by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("to resolve by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reject_reason = models.CharField(
        _("reason for rejection"), max_length=20, choices=RejectReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SignalementQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The agents' queue, soonest due first: its first page read in index order
            # instead of sorting every report of the direction (1 s at a million).
            models.Index(fields=["resolve_due_at", "id"], name="signalement_queue_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"


class EventQuerySet(models.QuerySet["SignalementEvent"]):
    def public(self) -> EventQuerySet:
        return self.filter(is_public=True)


class SignalementEvent(models.Model):
    """One step of a report's timeline: a status change or a message."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status change")
        MESSAGE = "message", _("message")
        NOTE = "note", _("internal note")
        ASSIGN = "assign", _("assignment")
        TRANSFER = "transfer", _("transfer")
        CATEGORY = "category", _("change of category")
        DUPLICATE = "duplicate", _("marked as duplicate")

    signalement = models.ForeignKey(
        Signalement, verbose_name=_("signalement"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("The status after the change."),
    )
    message = models.TextField(_("message"), blank=True, help_text=_("Public message."))
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("For staff only, never public.")
    )
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("direction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The direction in charge after this step."),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown to the reporter and the public.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.signalement} {self.kind} {self.status}"


class Follow(models.Model):
    """A resident who supports a report ("moi aussi") and wants to hear about it."""

    signalement = models.ForeignKey(
        Signalement, verbose_name=_("signalement"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="signalement_follows",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["signalement", "user"], name="unique_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.signalement}"


class IdempotencyKey(models.Model):
    """The first answer to a request sent with an ``Idempotency-Key``, replayed to retries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    scope = models.CharField(
        _("scope"), max_length=60, help_text=_("The operation the key was used for.")
    )
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key
