"""The back-office site: its login has the API's lockout and per-address rate limit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from backend import services, throttling


class AdminLoginForm(AdminAuthenticationForm):
    """Counts the attempt against the address's login rate; refuses a locked-out address."""

    retry_after: float | None = None

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


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response: HttpResponse = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        if isinstance(form, AdminLoginForm) and form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = throttling.retry_after(form.retry_after)
        return response
