"""Open311 GeoReport v2 endpoints: plain Django views, out of the OpenAPI schema on purpose.

They answer in Open311's own error shape, never the project's, never an HTML page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from backend import throttling
from signalements.open311 import selectors, services
from signalements.open311.render import respond, respond_error

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def _throttled(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """429 in Open311's shape once the address is over the API's anonymous limit."""
    if (wait := throttling.address_wait(request)) is None:
        return None
    response = respond_error(fmt, 429, _("Too many requests from your address: try again later."))
    response["Retry-After"] = throttling.retry_after(wait)
    return response


def endpoint(*methods: str) -> Callable[[View], View]:
    """Accept these methods; turn every error into Open311's shape in the requested format."""

    def decorate(view: View) -> View:
        @csrf_exempt  # Clients authenticate with an api_key, never with a session cookie.
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if (refused := _throttled(request, fmt)) is not None:
                return refused
            allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
            if request.method not in allowed:
                return respond_error(fmt, 405, _("Method not allowed."))
            try:
                services.jurisdiction_check(data=request.GET)
                if request.method == "POST":
                    services.jurisdiction_check(data=request.POST)
                return view(request, fmt, **kwargs)
            except services.Open311Error as error:
                return respond_error(fmt, error.code, error.description)
            except ValidationError as error:
                return respond_error(fmt, 400, services.as_bad_parameter(error).description)
            except (SuspiciousOperation, BadRequest, MultiPartParserError):
                # Too many fields, a body too large, a malformed multipart body, a form
                # in another encoding than UTF-8...
                return respond_error(fmt, 400, _("The request could not be understood."))
            except DatabaseError:
                logger.exception("Open311: database error")
                return respond_error(fmt, 503, _("The service is temporarily unavailable."))
            except Exception:
                logger.exception("Open311: unexpected error")
                return respond_error(fmt, 500, _("An unexpected error occurred."))

        return wrapper

    return decorate


def _absolute(request: HttpRequest) -> selectors.Absolute:
    return request.build_absolute_uri


def _api_key(request: HttpRequest) -> str | None:
    return services.param(request.POST, "api_key") or services.param(request.GET, "api_key")


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    document = selectors.discovery(
        endpoint_url=request.build_absolute_uri(reverse("open311:root")),
        contact=getattr(settings, "OPEN311_CONTACT", settings.TERRITORY_NAME),
    )
    return respond(fmt, "discovery", document)


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", selectors.services())


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    document = selectors.service_definition(service_code=service_code)
    if document is None:
        raise services.Open311Error(404, _("Unknown service_code."))
    return respond(fmt, "service_definition", document)


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        api_key = services.api_key_check(raw=_api_key(request))
        filed = services.request_create(api_key=api_key, data=request.POST)
        document = [
            {
                "service_request_id": str(filed.signalement.pk),
                "service_notice": filed.service_notice or None,
                "account_id": None,
            }
        ]
        return respond(fmt, "service_requests", document)
    found = selectors.requests_search(data=request.GET, absolute=_absolute(request))
    return respond(fmt, "service_requests", found)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    document = selectors.request_get(request_id=request_id, absolute=_absolute(request))
    if document is None:
        raise services.Open311Error(404, _("Unknown service_request_id."))
    return respond(fmt, "service_requests", [document])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    # The request id is its own token: reports are filed synchronously.
    document = selectors.request_get(request_id=token, absolute=_absolute(request))
    if document is None:
        raise services.Open311Error(404, _("Unknown token."))
    found = [{"token": token, "service_request_id": document["service_request_id"]}]
    return respond(fmt, "service_requests", found)


@endpoint("GET", "POST")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        api_key = services.api_key_check(raw=_api_key(request), for_update=True)
        update = services.update_apply(api_key=api_key, data=request.POST)
        document = [{"update_id": str(update.event_id or "")}]
        return respond(fmt, "service_request_updates", document)
    found = selectors.updates_search(data=request.GET, absolute=_absolute(request))
    return respond(fmt, "service_request_updates", found)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return _throttled(request, fmt) or respond_error(fmt, 404, _("Unknown endpoint."))
