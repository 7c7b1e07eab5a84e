"""HTTP caching for phones: strong ETags, 304 answers and Cache-Control per kind of resource.

Phones refresh the same lists over and over on slow networks: with an ETag, an unchanged
list costs a 304 and a few bytes instead of the whole JSON. Only anonymous answers get an
ETag and a public Cache-Control: an authenticated answer may hold personal data, so it is
marked ``private, no-cache`` and never stored by a shared cache.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

CACHEABLE_TYPES = ("application/json", "application/geo+json")

# First match wins. Reference data changes rarely (the app also has ?updated_since=);
# reports and the map change all day, so they are kept briefly and revalidated.
CACHE_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^/api/v1/(categories|themes|consultation-themes|communes)/"),
        "public, max-age=3600",
    ),
    (re.compile(r"^/api/v1/signalements/map/$"), "public, max-age=60"),
    (re.compile(r"^/api/v1/signalements/\d+/$"), "public, max-age=60"),
    (re.compile(r"^/api/v1/signalements/$"), "public, max-age=30"),
    (re.compile(r"^/api/v1/consultations/"), "public, max-age=300"),
]
# Any other anonymous JSON: may be stored, but checked with the server (ETag) every time.
DEFAULT_RULE = "public, no-cache"


def cache_control_for(path: str) -> str:
    for pattern, value in CACHE_RULES:
        if pattern.match(path):
            return value
    return DEFAULT_RULE


def body_etag(content: bytes) -> str:
    """A strong ETag: the same bytes give the same tag on every server of the pool."""
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _opaque(tag: str) -> str:
    # If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(candidate) == wanted for candidate in if_none_match.split(","))


class CachingMiddleware:
    """ETag, If-None-Match → 304, and Cache-Control on anonymous GET answers in JSON.

    It sits below GZipMiddleware, so the tag is computed on the uncompressed body
    (GZipMiddleware then marks it weak on compressed answers, as HTTP requires).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization"))
        if _is_authenticated(request):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
            return response
        if (
            response.status_code != 200
            or response.streaming
            or not isinstance(response, HttpResponse)
            or not response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
        ):
            return response
        etag = body_etag(response.content)
        response["ETag"] = etag
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = cache_control_for(request.path)
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        return response


def _is_authenticated(request: HttpRequest) -> bool:
    # A JWT is read by DRF inside the view: the header itself is the sign of a personal answer.
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))
