from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import is_valid_path
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from backend.errors import error_body

logger = logging.getLogger(__name__)
ErrorResponse = Callable[..., HttpResponse]


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


def _error_formats() -> list[tuple[str, ErrorResponse]]:
    return [(prefix, import_string(path)) for prefix, path in settings.ERROR_FORMATS.items()]


class ApiErrorMiddleware:
    """Every error under the API's prefixes in the API's own shape, whatever produced it.

    Views answer their errors in shape already; this covers what happens around them and
    would otherwise be an HTML page (also with DEBUG on): an unknown path, a method or a
    request Django itself refuses, a NUL character in the path or query string (PostgreSQL
    cannot even compare one), and a database that is down under a view that is not DRF's
    (feeds, calendars). ``ERROR_FORMATS`` maps each prefix to its error renderer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.formats = _error_formats()

    def _format(self, request: HttpRequest) -> ErrorResponse | None:
        for prefix, render in self.formats:
            if request.path.startswith(prefix):
                return render
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        render = self._format(request)
        if render is None:
            return self.get_response(request)
        try:
            refused = _nul_parameter(request)
        except BadRequest:
            return render(request, 400, _("A form must be encoded in UTF-8."))
        if refused is not None:
            return render(request, 400, _("Null characters are not allowed."), field=refused)
        if (slashed := _slashed_path(request)) is not None:
            # Django's APPEND_SLASH would answer an HTML redirect, or a 500 to a POST in DEBUG.
            return render(
                request, 404, _("Unknown path; did you mean %(path)s?") % {"path": slashed}
            )
        response = self.get_response(request)
        if response.status_code >= 400 and not _in_shape(response):
            return render(request, response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        render = self._format(request)
        if render is not None and isinstance(exception, OperationalError | InterfaceError):
            logger.exception("Database unavailable")
            return render(request, 503)
        return None


def _nul_parameter(request: HttpRequest) -> str | None:
    """The name of the parameter (or "path") holding a NUL character, if any."""
    if "\x00" in request.path:
        return "path"
    data = [request.GET]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        # Open311's form bodies reach plain Django views; DRF's parsers check their own.
        # Too large or malformed: the view refuses it in its own words.
        with contextlib.suppress(SuspiciousOperation, MultiPartParserError):
            data.append(request.POST)
    for query in data:
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "") or "query"
    return None


def _slashed_path(request: HttpRequest) -> str | None:
    """The path with a final slash when only that one exists."""
    path = request.path_info
    if path.endswith("/") or is_valid_path(path):
        return None
    return request.path + "/" if is_valid_path(path + "/") else None


def _in_shape(response: HttpResponse) -> bool:
    media = response.get("Content-Type", "").split(";")[0].strip()
    return media in {"application/json", "application/xml", "text/xml"} or media.endswith("+json")
