from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from backend.errors import error_body


class RequestSizeLimitMiddleware:
    """Refuse request bodies larger than MAX_REQUEST_BYTES before reading them (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return JsonResponse(
                error_body(
                    "request_too_large",
                    _("The request is too large (at most %(limit)d MB).") % {"limit": limit},
                ),
                status=413,
            )
        return self.get_response(request)
