"""The citizen panel drawn by lot: its pool from the electoral lists and its draws."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Panel(models.Model):
    """A citizen panel of an organisation, drawn by lot in two stages.

    The pool (an extract of the electoral lists) is imported and its hash published; a seed
    is announced; stage 1 invites people of the pool uniformly (``contributions.sortition``).
    """

    class Stage(models.TextChoices):
        POOL = "pool", _("pool being imported")
        INVITED = "invited", _("invitations drawn")

    organisation = models.ForeignKey(
        "backend.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="panels",
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    size = models.PositiveIntegerField(_("members wanted"), default=100)
    invitations = models.PositiveIntegerField(_("letters of invitation"), default=2000)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.POOL)
    pool_size = models.PositiveIntegerField(_("people in the pool"), default=0)
    pool_hash = models.CharField(_("SHA-256 of the pool"), max_length=64, blank=True)
    pool_imported_at = models.DateTimeField(_("pool imported at"), null=True, blank=True)
    invitation_seed = models.CharField(_("seed of the invitations"), max_length=200, blank=True)
    invited_numbers = models.JSONField(_("numbers invited"), default=list, blank=True)
    invited_at = models.DateTimeField(_("invitations drawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen panel")
        verbose_name_plural = _("citizen panels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PoolPerson(models.Model):
    """A person of the pool, as the electoral lists give them. Personal data of people who
    did not sign up: seen by the organisation's participation officers only, and deleted
    once the panel is constituted."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="pool"
    )
    number = models.PositiveIntegerField(_("number in the pool"))
    last_name = models.CharField(_("last name"), max_length=200)
    first_names = models.CharField(_("first names"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=5)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    invitation_code = models.CharField(_("invitation code"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("person of the pool")
        verbose_name_plural = _("people of the pool")
        ordering = ["panel", "number"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "number"], name="unique_pool_number"),
            models.UniqueConstraint(
                fields=["panel", "invitation_code"],
                condition=~models.Q(invitation_code=""),
                name="unique_invitation_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} #{self.number}"
