"""Who a request comes from, and the request limits counted per address, account or scope.

Counters live in the default cache with one atomic increment per request, so that every
process that shares the cache (Redis in production) shares the limits.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import cache as default_cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, throttling

# Caches that each process keeps for itself: limits and the lockout would multiply by the
# number of processes (or, for the dummy cache, never apply).
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def client_address(request: HttpRequest) -> str:
    """The address of the client, trusting ``X-Forwarded-For`` only as far as configured.

    With ``TRUSTED_PROXIES = 0`` the header is ignored (the client writes it as it likes) and
    the address is ``REMOTE_ADDR``. With N trusted proxies, each appending the address it
    received the request from, the client is the N-th address from the end of the header.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-min(hops, len(forwarded))]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        # Not written by a proxy of ours.
        return remote
    return candidate


def client_ident(request: HttpRequest) -> str:
    """What address limits count under: the address, or its /64 network for IPv6.

    An IPv6 subscriber gets a whole /64 and may use any address in it.
    """
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _count(cache: Any, key: str, timeout: int) -> int:
    """Add one to a counter of the cache, atomically where the cache is shared."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add and incr: this request starts a new one.
        cache.set(key, 1, timeout=timeout)
        return 1


class FixedWindowThrottle(throttling.SimpleRateThrottle):
    """DRF's rates (``20/min``) counted in fixed windows with an atomic increment.

    DRF's own throttles read a list of times, append and write it back: workers sharing the
    cache overwrite each other's requests. An increment cannot be lost; the price is that a
    client may spend two windows' worth around the turn of a window.
    """

    cache = default_cache
    window_ends_at: float = 0.0

    def get_ident(self, request: HttpRequest) -> str:
        return client_ident(request)

    def allow_request(self, request: HttpRequest, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        count = _count(self.cache, f"{self.key}:{window}", timeout=self.duration + 1)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(1.0, self.window_ends_at - self.now)


class AnonRateThrottle(throttling.AnonRateThrottle, FixedWindowThrottle):
    """Requests of anonymous clients per address (``THROTTLE_ANON``)."""


class UserRateThrottle(throttling.UserRateThrottle, FixedWindowThrottle):
    """Requests per account, or per address when anonymous (``THROTTLE_USER``)."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, FixedWindowThrottle):
    """Requests of the view's ``throttle_scope`` per account, or per address when anonymous."""


class AddressRateThrottle(FixedWindowThrottle):
    """Requests of one scope per address, logged in or not; for views outside DRF.

    It shares its counters with the DRF throttle of the same scope for anonymous clients
    (``anon`` with AnonRateThrottle, ``auth`` with the login views).
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request: HttpRequest, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def address_wait(request: HttpRequest, *, scope: str = "anon") -> float | None:
    """Count the request against its address's limit; seconds to wait when it is over."""
    throttle = AddressRateThrottle(scope)
    if throttle.allow_request(request, None):
        return None
    return throttle.wait()


def retry_after(wait: float) -> str:
    return str(exceptions.Throttled(wait=wait).wait)


def throttled_response(wait: float) -> HttpResponse:
    """429 in the project's error shape, with Retry-After."""
    # backend.errors imports DRF's views, whose settings import this module.
    from backend.errors import error_body

    throttled = exceptions.Throttled(wait=wait)
    response = JsonResponse(error_body("throttled", str(throttled.detail)), status=429)
    response["Retry-After"] = str(throttled.wait)
    return response


def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``check --deploy``: the default cache must be shared by every process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Error(
                "The default cache is kept by each process: request limits and the login "
                "lockout multiply by the number of server processes.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="backend.E001",
            )
        ]
    return []
