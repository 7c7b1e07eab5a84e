"""Categories, routing rules, reports, their photos, timeline, supporters and idempotency keys.

The map's per-cell counts (``MapCell``, ``MapCellMonth``) are written by PostgreSQL
triggers only, installed by signalements/migrations/0004_map_cells.py and
0005_map_cells_by_month.py.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

# The Open311 models (API keys, requests, updates) belong to this app, in their own module.
from backend.models import Direction
from signalements.open311 import models as open311_models  # noqa: F401
from signalements.storage import private_storage


class Theme(models.Model):
    """A family of categories shown together in the app (roads, water, waste...)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon key"), max_length=60, blank=True, help_text=_("Name of the icon in the app.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of display, smallest first.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """What a report is about: decides routing, privacy, questions and service levels."""

    class Competence(models.TextChoices):
        AGGLOMERATION = "agglomeration", _("agglomeration")
        COMMUNE = "commune", _("commune")

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon key"), max_length=60, blank=True, help_text=_("Name of the icon in the app.")
    )
    competence = models.CharField(
        _("competence"),
        max_length=20,
        choices=Competence.choices,
        default=Competence.AGGLOMERATION,
        help_text=_(
            "Agglomeration: handled by the default direction. Commune: handled by the "
            "services of the commune where the problem is."
        ),
    )
    default_direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("default direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Direction that receives the reports of an agglomeration competence."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Reports of a private category are seen only by their author and staff."),
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    duplicate_radius_m = models.PositiveIntegerField(
        _("radius of duplicate suggestions (m)"),
        default=50,
        help_text=_("Open reports of this category within this distance are suggested."),
    )
    hours_to_acknowledge = models.PositiveIntegerField(
        _("hours to acknowledge"),
        null=True,
        blank=True,
        help_text=_("Service-level target: hours until a report is acknowledged."),
    )
    days_to_resolve = models.PositiveIntegerField(
        _("days to resolve"),
        null=True,
        blank=True,
        help_text=_("Service-level target: days until a report is resolved."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of display, smallest first.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["theme__position", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """An extra question of a category, shaped like an Open311 service attribute."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLE = "singlevaluelist", _("one choice in a list")
        MULTI = "multivaluelist", _("several choices in a list")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(
        _("code"), max_length=60, help_text=_("Key of the answer in the report's answers.")
    )
    variable = models.BooleanField(
        _("variable"),
        default=True,
        help_text=_("Open311: false for an informational text that takes no answer."),
    )
    datatype = models.CharField(
        _("type"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(
        _("type description"),
        max_length=200,
        blank=True,
        help_text=_("A hint on the expected answer, e.g. a unit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(
        _("question"), max_length=300, help_text=_("The question as shown to the resident.")
    )
    values = models.JSONField(
        _("allowed values"),
        default=list,
        blank=True,
        help_text=_('For list types: [{"key": "...", "name": "..."}, ...].'),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="unique_question_code")
        ]

    def __str__(self) -> str:
        return self.description


class RoutingRule(models.Model):
    """Sends the reports of a category in a commune or an area to a direction."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="rules"
    )
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty when the rule applies to an area."),
    )
    area = models.MultiPolygonField(
        _("area"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("A rule with an area wins over a rule for the whole commune."),
    )
    direction = models.ForeignKey(
        "backend.Direction",
        verbose_name=_("direction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Among rules of the same kind, the highest wins.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category", "-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commune__isnull=False) | Q(area__isnull=False),
                name="routing_rule_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.direction}"


class Status(models.TextChoices):
    NEW = "nouveau", _("new")
    ACKNOWLEDGED = "pris_en_compte", _("acknowledged")
    SCHEDULED = "programme", _("scheduled")
    IN_PROGRESS = "en_cours", _("in progress")
    RESOLVED = "resolu", _("resolved")
    CLOSED = "clos", _("closed")
    REJECTED = "rejete", _("rejected")
    REOPENED = "reouvert", _("reopened")


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
# written from them (``signalements.selectors.public_sql``).
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
            .defer("commune__geometry", "commune__geometry_simplified")
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

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"


class MapCounts(models.Model):
    """How many public reports one grid cell of the map holds, by category and status."""

    level = models.PositiveSmallIntegerField(_("zoom level"))
    cx = models.IntegerField(_("cell column"))
    cy = models.IntegerField(_("cell row"))
    # No foreign key: rows of emptied cells stay behind and must not block a deletion.
    category_id = models.IntegerField(_("category"))
    status = models.CharField(_("status"), max_length=20)
    n = models.IntegerField(_("reports"), default=0)
    sum_x = models.FloatField(_("sum of longitudes"), default=0)
    sum_y = models.FloatField(_("sum of latitudes"), default=0)

    class Meta:
        abstract = True


class MapCell(MapCounts):
    """The counts of each zoom level (0 to 15), cell, category and status.

    With the sums of the coordinates for the cluster's centre. PostgreSQL keeps it up to
    date by itself: statement triggers on the reports table add and subtract what each
    INSERT, UPDATE or DELETE changes (migrations/0004_map_cells.py). The map below zoom
    16 then adds up the rows of the viewport's cells, whatever the number of reports.
    Unused on SpatiaLite.
    """

    class Meta:
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "category_id", "status"],
                name="signalements_mapcell_key",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.cx},{self.cy}: {self.n}"


class MapCellMonth(MapCounts):
    """MapCell's counts split by month of filing (UTC), for maps of a period.

    Kept by the same kind of triggers (migrations/0005_map_cells_by_month.py). A map
    "since" a date adds up the whole months from there and groups only the reports of the
    first, partial month live.
    """

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("map cell of a month")
        verbose_name_plural = _("map cells of a month")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cx", "cy", "category_id", "status", "month"],
                name="signalements_mapcellmonth_key",
            )
        ]

    def __str__(self) -> str:
        return f"z{self.level} {self.cx},{self.cy} {self.month:%Y-%m}: {self.n}"


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
        Signalement, verbose_name=_("signalement"), on_delete=models.CASCADE, related_name="photos"
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
