from __future__ import annotations

from typing import Any

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON, chosen with ``?format=geojson`` or ``Accept: application/geo+json``."""

    media_type = "application/geo+json"
    format = "geojson"


class FileRenderer(BaseRenderer):
    """A document the view writes whole (a calendar, a feed): passed through as it is.

    An error of such a view is rendered as JSON instead, in the API's error shape.
    """

    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data)
        return data if isinstance(data, bytes) else str(data).encode()


class ICalendarRenderer(FileRenderer):
    media_type = "text/calendar"
    format = "ics"


class AtomRenderer(FileRenderer):
    media_type = "application/atom+xml"
    format = "atom"


class OneFormatNegotiation(BaseContentNegotiation):
    """Calendars and feeds come in one format: answer it whatever ``Accept`` asks."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Any, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type
