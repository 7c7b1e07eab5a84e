"""Documents to JSON or XML with the element names of GeoReport v2 and mySociety's extension."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpRequest, HttpResponse

from backend.errors import status_error

FORMATS = ("xml", "json")

# The element of each item of a list, by the element of the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all, even escaped: dropped rather than a broken document.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, document: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, document)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, document: Any, *, status: int = 200) -> HttpResponse:
    """The document in the format the suffix asked for (XML when unknown: the spec's own)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(document, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            status=status,
        )
    return HttpResponse(
        to_xml(root, document), content_type="text/xml; charset=utf-8", status=status
    )


def respond_error(fmt: str, code: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": code, "description": description}], status=code)


def error_response(
    request: HttpRequest, status_code: int, detail: str = "", *, field: str = ""
) -> HttpResponse:
    """An error in Open311's shape, in the format of the path's suffix (XML by default).

    Used by ``backend.middleware.ApiErrorMiddleware`` for what never reaches a view: an
    unknown path, a refused character, the database down.
    """
    fmt = "json" if request.path.endswith(".json") else "xml"
    if not detail:
        detail = status_error(status_code)[1]
    elif field:
        detail = f"{field}: {detail}"
    return respond_error(fmt, status_code, detail)
