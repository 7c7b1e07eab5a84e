"""Accounts, organisations, directions and who belongs where."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend import validators


class NormalizedEmailField(models.EmailField):
    """An address stored and looked up (``email=``) in its folded form, whoever writes it."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return validators.email_fold(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = validators.email_fold(value)
            setattr(model_instance, self.attname, value)
        return value


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one written form of an address (ValidationError naming ``email`` if none)."""
        return validators.normalize_email(email or "")

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # The field folds the address it is compared with: "ALICE@x.fr " finds alice@x.fr.
        return self.get(email=username or "")

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; logs in with an email address."""

    email = NormalizedEmailField(
        _("email address"), unique=True, validators=[validators.validate_email_address]
    )
    first_name = models.CharField(
        _("first name"),
        max_length=150,
        blank=True,
        validators=[validators.validate_display_name],
    )
    last_name = models.CharField(
        _("last name"),
        max_length=150,
        blank=True,
        validators=[validators.validate_display_name],
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
        help_text=_("Language of the notifications and emails sent to this person."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the back-office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        # Forms (the back-office) then check uniqueness on the written form.
        self.email = validators.email_fold(self.email or "")
        self.first_name = validators.normalize_display_name(self.first_name or "")
        self.last_name = validators.normalize_display_name(self.last_name or "")

    @property
    def display_name(self) -> str:
        """The name shown to the public: first name and the initial of the last name."""
        if not self.is_active:
            return str(_("Deleted user"))
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}".strip() or str(_("Resident"))


class Organisation(models.Model):
    """A collectivité: the agglomeration, a commune, the département, the région..."""

    class Kind(models.TextChoices):
        AGGLOMERATION = "agglomeration", _("agglomeration")
        COMMUNE = "commune", _("commune")
        DEPARTEMENT = "departement", _("département")
        REGION = "region", _("région")
        OTHER = "autre", _("other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For a commune, the agglomeration it belongs to."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DirectionQuerySet(models.QuerySet["Direction"]):
    def of_user(self, user: User) -> DirectionQuerySet:
        """Directions the user is a member of."""
        return self.filter(memberships__user=user).distinct()


class Direction(models.Model):
    """A department of an organisation that handles reports and answers contributions."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="directions",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    email = models.EmailField(_("contact email"), blank=True)
    competences = models.TextField(_("competences"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DirectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Membership(models.Model):
    """A user working in a direction, as an agent or as its manager."""

    class Role(models.TextChoices):
        AGENT = "agent", _("agent")
        MANAGER = "manager", _("manager")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name=_("direction"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "direction"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.direction} ({self.get_role_display()})"


class OrganisationRoleQuerySet(models.QuerySet["OrganisationRole"]):
    def moderators(self) -> OrganisationRoleQuerySet:
        return self.filter(
            Q(role=OrganisationRole.Role.MODERATOR) | Q(role=OrganisationRole.Role.ADMIN)
        )


class OrganisationRole(models.Model):
    """An organisation-wide role: moderator of its consultations, its administrator, or its
    participation officer (the citizen panel)."""

    class Role(models.TextChoices):
        MODERATOR = "moderator", _("moderator")
        ADMIN = "admin", _("organisation admin")
        PARTICIPATION = "participation", _("participation officer")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="organisation_roles"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = OrganisationRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_organisation_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class PeriodicJob(models.Model):
    """When a recurring task last ran and next falls due (see backend/schedule.py)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next run at"))

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
