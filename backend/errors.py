"""One error shape for every 4xx and 5xx answer: ``{"code", "detail", "fields"}``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """The request is valid but the object's state forbids it (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"


def _plain(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(item) for item in detail]
    return str(detail)


def _first_message(fields: Any, path: str = "") -> str:
    if isinstance(fields, dict):
        for key, value in fields.items():
            name = key if key != "non_field_errors" else ""
            return _first_message(value, f"{path}.{name}" if path and name else path or name)
    if isinstance(fields, list) and fields:
        return _first_message(fields[0], path)
    return f"{path} : {fields}" if path else str(fields)


def error_body(code: str, detail: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": detail, "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF hook: translate every exception into the project's error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # A service's refusal says why; Django's bare one gets DRF's default sentence.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, OverflowError | DataError):
        # A value that passed validation but that Python's dates or a database column cannot
        # hold. Every field should refuse such values itself (backend/parsers.py); this is
        # the last line, logged so that the field gets its own rule.
        logger.warning("Value out of range reached %s", context.get("view"), exc_info=exc)
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("A value is out of range for its field.")]}
        )
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.exception("Database unavailable")
        exc = ServiceUnavailable(_("The service is temporarily unavailable, try again shortly."))
    elif isinstance(exc, DatabaseError):
        logger.exception("Database error")
        return Response(
            error_body("server_error", _("An unexpected error occurred.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _plain(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        summary = _first_message(fields)
        response.data = error_body("invalid", summary, fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        if isinstance(detail, dict):
            # simplejwt puts its message under "detail" and a code under "code".
            code = str(detail.get("code", code))
            detail = detail.get("detail", "")
        response.data = error_body(str(code), str(detail))
    return response


def status_error(status_code: int) -> tuple[str, str]:
    """The code and the message of an error answer that says no more than its status."""
    messages = {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("not_authenticated", _("Authentication credentials were not provided.")),
        403: ("permission_denied", _("You do not have permission to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("Method not allowed.")),
        413: ("request_too_large", _("The request is too large.")),
        429: ("throttled", _("Too many requests: try again later.")),
        503: (
            "service_unavailable",
            _("The service is temporarily unavailable, try again shortly."),
        ),
    }
    if status_code in messages:
        return messages[status_code]
    if status_code >= 500:
        return "server_error", _("An unexpected error occurred.")
    return "error", HTTPStatus(status_code).phrase if status_code in _STATUSES else "Error"


_STATUSES = {status.value for status in HTTPStatus}


def api_error_response(
    request: HttpRequest, status_code: int, detail: str = "", *, field: str = ""
) -> JsonResponse:
    """An error of the API in the project's shape (see ``ApiErrorMiddleware``)."""
    code, message = status_error(status_code)
    fields = {field: [detail]} if field and detail else None
    return JsonResponse(error_body(code, detail or message, fields), status=status_code)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return api_error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return api_error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return api_error_response(request, 404)


def server_error(request: HttpRequest) -> JsonResponse:
    return api_error_response(request, 500)
