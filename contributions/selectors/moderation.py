"""The moderation queue, the decision log and the charter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, QuerySet

from backend.models import OrganisationRole
from contributions.models import CharterReason, Contribution, ModerationDecision, ModerationSettings
from contributions.selectors._common import _logged_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


def is_any_moderator(*, user: User | AnonymousUser | None) -> bool:
    if not _logged_in(user):
        return False
    return user.is_superuser or OrganisationRole.objects.moderators().filter(user=user).exists()


def moderation_queue(*, user: User) -> QuerySet[Contribution]:
    """Pending and flagged contributions of the organisations the user moderates, oldest first."""
    return (
        Contribution.objects.moderated_by(user)
        .awaiting_moderation()
        .select_related("author", "consultation", "parent")
        .annotate(flag_count=Count("flags", distinct=True))
        .order_by("created_at", "pk")
    )


def moderatable(*, user: User) -> QuerySet[Contribution]:
    """Every contribution a moderator may decide on (not only the queue: hide, restore)."""
    return Contribution.objects.moderated_by(user).annotate(
        flag_count=Count("flags", distinct=True)
    )


def moderation_log(*, user: User) -> QuerySet[ModerationDecision]:
    """Decisions of the organisations the user moderates or administers, newest first."""
    queryset = ModerationDecision.objects.select_related(
        "moderator", "reason", "contribution__consultation", "organisation"
    )
    if user.is_superuser:
        return queryset
    moderated = OrganisationRole.objects.moderators().filter(user=user)
    return queryset.filter(organisation__in=moderated.values("organisation"))


def charter_of(*, organisation_id: int) -> QuerySet[CharterReason]:
    return CharterReason.objects.filter(organisation_id=organisation_id, is_active=True)


def flag_threshold(*, organisation_id: int) -> int:
    settings_row = ModerationSettings.objects.filter(organisation_id=organisation_id).first()
    return settings_row.flag_threshold if settings_row else settings.MODERATION_FLAG_THRESHOLD


def organisation_moderators(*, organisation_id: int) -> list[User]:
    roles = OrganisationRole.objects.moderators().filter(organisation_id=organisation_id)
    return list({role.user_id: role.user for role in roles.select_related("user")}.values())
