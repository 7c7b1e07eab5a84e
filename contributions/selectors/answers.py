"""Who may answer a contribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.models import Membership
from contributions.models import Contribution
from contributions.selectors._common import _logged_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


def can_answer(*, user: User | AnonymousUser | None, contribution: Contribution) -> bool:
    """Members of the direction owning the consultation."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    direction_id = contribution.consultation.direction_id
    return (
        direction_id is not None
        and Membership.objects.filter(user=user, direction_id=direction_id).exists()
    )
