"""The actor directory as each person sees it, and who validates it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from backend.models import OrganisationRole
from contributions.models import Actor
from contributions.selectors._common import _logged_in
from geo.models import Commune

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


def can_validate_actors(*, user: User | AnonymousUser | None) -> bool:
    if not _logged_in(user):
        return False
    return (
        user.is_superuser
        or OrganisationRole.objects.filter(user=user, role=OrganisationRole.Role.ADMIN).exists()
    )


def actors_visible(*, user: User | AnonymousUser | None) -> QuerySet[Actor]:
    """The public directory; plus one's own actors; everything for those who validate."""
    queryset = Actor.objects.prefetch_related(
        Prefetch("communes", queryset=Commune.objects.without_boundaries()), "themes"
    )
    if can_validate_actors(user=user):
        return queryset
    if _logged_in(user):
        return queryset.filter(Q(validated_at__isnull=False, is_public=True) | Q(owner=user))
    return queryset.listed()
