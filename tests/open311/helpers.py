"""Calls to the Open311 endpoints and their answers parsed back, XML with ElementTree."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

from signalements.open311.render import ITEM_TAGS

BASE = "/open311/v2"
FORMATS = ["json", "xml"]


def _from_xml(element: ET.Element) -> Any:
    if element.tag in ITEM_TAGS:
        return [_from_xml(child) for child in element]
    if len(element):
        return {child.tag: _from_xml(child) for child in element}
    return element.text or ""


def parse(response: Any, fmt: str) -> Any:
    """The body as Python: JSON as is; XML as lists and dicts of strings."""
    content_type = response["Content-Type"]
    if fmt == "json":
        assert content_type.startswith("application/json"), content_type
        return json.loads(response.content)
    assert content_type.startswith("text/xml"), content_type
    root = ET.fromstring(response.content)
    return {"root": root.tag, "body": _from_xml(root)}


def as_text(value: Any) -> Any:
    """JSON values as XML carries them, to compare both formats."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def body(response: Any, fmt: str) -> Any:
    """The body in one shape whatever the format: XML-like text values."""
    parsed = parse(response, fmt)
    return as_text(parsed) if fmt == "json" else parsed["body"]


# Open311 clients are programs; these tests read the English messages.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def get(api: Any, endpoint: str, fmt: str, **params: Any) -> Any:
    return api.get(f"{BASE}/{endpoint}.{fmt}", params, **ENGLISH)


def post(api: Any, endpoint: str, fmt: str, data: dict[str, Any]) -> Any:
    # Form-urlencoded, as the spec says.
    return api.post(
        f"{BASE}/{endpoint}.{fmt}",
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded",
        **ENGLISH,
    )


def assert_error(response: Any, fmt: str, code: int) -> str:
    """The response is one Open311 error of this code; returns its description."""
    assert response.status_code == code, response.content
    parsed = parse(response, fmt)
    if fmt == "xml":
        assert parsed["root"] == "errors"
        errors = parsed["body"]
    else:
        errors = parsed
    assert len(errors) == 1
    assert str(errors[0]["code"]) == str(code)
    assert errors[0]["description"]
    return errors[0]["description"]


# A valid report of a pothole at the Maison Carrée, without its api_key.
NIMES_FORM = {"service_code": "chaussee-degradee", "lat": "43.8367", "long": "4.3601"}

# signalements.services._locked joins the nullable reporter under SELECT ... FOR UPDATE, which
# PostgreSQL refuses ("FOR UPDATE cannot be applied to the nullable side of an outer join").
# Reported to the workflow's author (fix: select_for_update(of=("self",))); drop this then.
