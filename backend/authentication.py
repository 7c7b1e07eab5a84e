"""The one way a password is checked, whichever door the person knocks on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from backend import services
from backend.models import User


class LockoutModelBackend(ModelBackend):
    """Django's model backend behind the login lockout of an address.

    The API token endpoint and the back-office login both come here, so failures on one
    lock the other too, and a locked address is refused even with the right password.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if email is None or password is None:
            return None
        if services.login_lockout_remaining(email=email):
            # Stops every backend: authenticate() answers None without checking the password.
            raise PermissionDenied
        user = super().authenticate(request, username=email, password=password)
        if user is None:
            services.login_failed(email=email)
        else:
            services.login_succeeded(email=email)
        return user
