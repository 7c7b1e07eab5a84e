"""The citizen panel drawn by lot: its pool from the electoral lists and its draws."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


class PanelQuerySet(models.QuerySet["Panel"]):
    def with_member(self, user: User | AnonymousUser | None) -> PanelQuerySet:
        """The panels the user sits on (none for the anonymous)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(
            volunteers__user=user, volunteers__status=PanelVolunteer.Status.MEMBER
        ).distinct()


class Panel(models.Model):
    """A citizen panel of an organisation, drawn by lot in two stages.

    The pool (an extract of the electoral lists) is imported and its hash published; a seed
    is announced; stage 1 invites people of the pool uniformly (``contributions.sortition``).
    Those who answer register as volunteers with the criteria of ``criteria``; stage 2
    selects the panel among them with quotas per criterion, from a second announced seed;
    the panel is then constituted and the pool deleted.
    """

    class Stage(models.TextChoices):
        POOL = "pool", _("pool being imported")
        INVITED = "invited", _("invitations drawn, volunteers registering")
        SELECTING = "selecting", _("panel being selected")
        CONSTITUTED = "constituted", _("panel constituted")

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
    criteria = models.JSONField(
        _("criteria of the selection"),
        default=list,
        blank=True,
        help_text=_(
            'What volunteers declare and quotas apply to: [{"key": "sexe", "label": "Sexe", '
            '"values": [{"value": "F", "label": "Femme"}, ...]}, ...].'
        ),
    )
    selection_seed = models.CharField(_("seed of the selection"), max_length=200, blank=True)
    selection_quotas = models.JSONField(_("quotas of the selection"), default=list, blank=True)
    selection_progress = models.CharField(
        _("progress of the selection"), max_length=300, blank=True
    )
    selection_problems = models.JSONField(
        _("why the last selection failed"), default=list, blank=True
    )
    record = models.JSONField(_("public record of the selection"), default=dict, blank=True)
    constituted_at = models.DateTimeField(_("constituted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen panel")
        verbose_name_plural = _("citizen panels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def criterion_values(self) -> dict[str, list[str]]:
        """Each criterion's key and its values, in the order of ``criteria``."""
        return {
            criterion["key"]: [value["value"] for value in criterion["values"]]
            for criterion in self.criteria
        }


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


class PanelVolunteer(models.Model):
    """Someone invited who answered: the criteria they declared, and where the draw put them.

    Name and address come from their letter's row of the pool (they answered it, so they
    are kept after the pool is deleted) for the officer to write to members by post. The
    number is public in the record beside the declared criteria, never the name."""

    class Status(models.TextChoices):
        VOLUNTEER = "volunteer", _("volunteer")
        MEMBER = "member", _("member of the panel")
        RESERVE = "reserve", _("on the reserve list")
        LEFT = "left", _("left the panel")

    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="volunteers"
    )
    number = models.PositiveIntegerField(_("volunteer number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_seats",
    )
    invitation_code = models.CharField(_("invitation code"), max_length=12)
    last_name = models.CharField(_("last name"), max_length=200)
    first_names = models.CharField(_("first names"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=5)
    commune_name = models.CharField(_("commune"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    answers = models.JSONField(_("criteria declared"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VOLUNTEER
    )
    reserve_rank = models.PositiveIntegerField(_("rank on the reserve list"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer of a panel")
        verbose_name_plural = _("volunteers of a panel")
        ordering = ["panel", "number"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "number"], name="unique_volunteer_number"),
            models.UniqueConstraint(
                fields=["panel", "invitation_code"], name="unique_volunteer_code"
            ),
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_volunteer_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} volunteer #{self.number}"
