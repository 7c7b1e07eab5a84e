"""Who works for an organisation: reads shared by every sub-domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.models import Membership, OrganisationRole
from backend.services import user_has_staff_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


def _logged_in(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_organisation_staff(*, user: User | AnonymousUser | None, organisation_id: int) -> bool:
    """Anyone who works for the organisation: a role in it or a seat in one of its directions."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        OrganisationRole.objects.filter(user=user, organisation_id=organisation_id).exists()
        or Membership.objects.filter(user=user, direction__organisation_id=organisation_id).exists()
    )


def is_organisation_moderator(*, user: User | AnonymousUser | None, organisation_id: int) -> bool:
    """Moderators and admins of the organisation (they answer the contact form)."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        OrganisationRole.objects.moderators()
        .filter(user=user, organisation_id=organisation_id)
        .exists()
    )


def is_any_staff(*, user: User | AnonymousUser | None) -> bool:
    # One rule for "works for an organisation", shared with the back-office's door.
    return _logged_in(user) and user_has_staff_role(user=user)
