"""Themes, categories, their questions and the rules that route reports to a direction."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# English texts are optional: English readers get the French one when it is blank.
ENGLISH_HELP = _("Shown to English readers; the French text when left blank.")


class Theme(models.Model):
    """A family of categories shown together in the app (roads, water, waste...)."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(
        _("name in English"), max_length=120, blank=True, help_text=ENGLISH_HELP
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(
        _("description in English"), blank=True, help_text=ENGLISH_HELP
    )
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
    name_en = models.CharField(
        _("name in English"), max_length=150, blank=True, help_text=ENGLISH_HELP
    )
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(
        _("description in English"), blank=True, help_text=ENGLISH_HELP
    )
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
    datatype_description_en = models.CharField(
        _("type description in English"), max_length=200, blank=True, help_text=ENGLISH_HELP
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(
        _("question"), max_length=300, help_text=_("The question as shown to the resident.")
    )
    description_en = models.CharField(
        _("question in English"), max_length=300, blank=True, help_text=ENGLISH_HELP
    )
    values = models.JSONField(
        _("allowed values"),
        default=list,
        blank=True,
        help_text=_(
            'For list types: [{"key": "...", "name": "...", "name_en": "..."}, ...]; '
            "name_en, the English label, may be left out."
        ),
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
