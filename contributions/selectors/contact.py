"""Contact messages as staff see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from backend.models import Membership, OrganisationRole
from contributions.models import ContactMessage
from contributions.selectors._common import _logged_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


def contact_messages_for(*, user: User | AnonymousUser | None) -> QuerySet[ContactMessage]:
    """Messages of organisations the user moderates, and those sent to their direction."""
    queryset = ContactMessage.objects.select_related("consultation", "direction", "organisation")
    if not _logged_in(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    moderated = OrganisationRole.objects.moderators().filter(user=user).values("organisation")
    directions = Membership.objects.filter(user=user).values("direction")
    return queryset.filter(Q(organisation__in=moderated) | Q(direction__in=directions))


def is_contact_staff(*, user: User | AnonymousUser | None) -> bool:
    """Whoever may have contact messages to handle: moderators and members of directions."""
    if not _logged_in(user):
        return False
    return (
        user.is_superuser
        or OrganisationRole.objects.moderators().filter(user=user).exists()
        or Membership.objects.filter(user=user).exists()
    )
