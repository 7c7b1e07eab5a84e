"""Everything held about a person, gathered from every app (right of access, RGPD art. 15).

Each app that holds personal data has a ``privacy`` module with
``export(user) -> dict`` (and ``erase(user)``, ``apply_retention(now)`` where it has
something to forget), listed in ``settings.PRIVACY_MODULES``; its part of the archive is
filed under the app's label.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from backend.models import User


def export(user: User) -> dict[str, Any]:
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {
                "direction": m.direction.name,
                "organisation": m.direction.organisation.name,
                "role": m.role,
            }
            for m in user.memberships.select_related("direction__organisation")
        ],
        "organisation_roles": [
            {"organisation": r.organisation.name, "role": r.role}
            for r in user.organisation_roles.select_related("organisation")
        ],
    }


def user_data_export(*, user: User) -> dict[str, Any]:
    """The whole archive: one section per app holding data about the user."""
    archive: dict[str, Any] = {"generated_at": timezone.now().isoformat()}
    for module in _modules():
        archive[apps.get_containing_app_config(module.__name__).label] = module.export(user)
    return archive


def _modules() -> list[ModuleType]:
    return [import_module(name) for name in settings.PRIVACY_MODULES]


def user_data_erase(*, user: User) -> None:
    """Every app forgets or anonymises what it holds about the user (before the account row)."""
    for module in _modules():
        if hasattr(module, "erase"):
            module.erase(user)


def retention_apply(*, now: datetime) -> dict[str, int]:
    """Apply every app's retention rules; the counts of what was anonymised or deleted."""
    done: dict[str, int] = {}
    for module in _modules():
        if hasattr(module, "apply_retention"):
            done.update(module.apply_retention(now))
    return done
