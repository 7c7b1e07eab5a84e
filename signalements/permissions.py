"""Small permission classes, each with the message people get when refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from backend.models import Direction


class IsDirectionStaff(permissions.BasePermission):
    """Agents and managers of a direction, and back-office superusers."""

    message = _("Only the agents and managers of a direction may use the field service's queue.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_superuser or Direction.objects.of_user(user).exists()
