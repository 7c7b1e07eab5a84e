"""The back-office site: its login has the API's lockout and per-address rate limit.

Staff who may not use it (agents, managers, moderators without ``is_staff``) are sent to the
staff workspace at ``/app/`` rather than refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backend import services, throttling
from backend.models import User


class AdminLoginForm(AdminAuthenticationForm):
    """Counts the attempt against the address's login rate; refuses a locked-out address."""

    retry_after: float | None = None
    # The password was right, but the person belongs in the staff workspace.
    for_workspace: bool = False

    def clean(self) -> dict[str, Any]:
        if (wait := throttling.address_wait(self.request, scope="auth")) is not None:
            self.retry_after = wait
            raise ValidationError(
                _("Too many login attempts from your address. Try again later."),
                code="throttled",
            )
        email = self.cleaned_data.get("username") or ""
        if email and (wait := services.login_lockout_remaining(email=email)):
            self.retry_after = wait
            raise ValidationError(
                _("Too many failed attempts with this email address. Try again later."),
                code="locked",
            )
        return super().clean()

    def confirm_login_allowed(self, user: User) -> None:
        # Still refused (no admin session): the site turns this refusal into a redirect.
        self.for_workspace = _belongs_in_workspace(user)
        super().confirm_login_allowed(user)


def _belongs_in_workspace(user: User | AnonymousUser) -> bool:
    """Not allowed the back-office (``has_permission``), but working for an organisation."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_staff
        and services.user_has_staff_role(user=user)
    )


def _workspace() -> HttpResponseRedirect:
    # A bare URL: the app has its own login and must not be handed the admin's ``next``.
    response = HttpResponseRedirect(reverse("staff-app"))
    add_never_cache_headers(response)  # it depends on who is logged in
    return response


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # Django would send them to the login page, which says they are not authorised.
            if _belongs_in_workspace(request.user):
                return _workspace()
            return guarded(request, *args, **kwargs)

        return inner

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method == "GET" and _belongs_in_workspace(request.user):
            return _workspace()
        response: HttpResponse = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        if isinstance(form, AdminLoginForm) and form.for_workspace:
            return _workspace()
        if isinstance(form, AdminLoginForm) and form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = throttling.retry_after(form.retry_after)
        return response
