"""Request bodies as the API accepts them: the one place where raw input becomes data.

Every body, whatever its media type, comes out as a mapping of field names to values that
the rest of the code can trust to be well formed: a JSON body is an object, no number is
infinite, no text holds a NUL character (PostgreSQL refuses them), and nesting is bounded.
What breaks these rules is refused here with a 400 naming the field, never later with a 500.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

# Deeper than any body of the API (answers to a category's questions are two levels deep).
MAX_DEPTH = 32
NUL = "\x00"


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(_("a number is too large"))
    return number


def _refuse_constant(name: str) -> float:
    raise ValueError(_("%(name)s is not a number") % {"name": name})


def _walk(data: Any) -> Iterator[tuple[str, Any, int]]:
    """Each value of ``data`` with its dotted path and depth, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, Mapping):
            for key, item in value.items():
                stack.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), item, depth + 1))


def _field(path: str) -> str:
    return path.split(".", 1)[0] or "non_field_errors"


def check_values(data: Any) -> None:
    """Refuse NUL characters in keys and text, and nesting deeper than MAX_DEPTH."""
    for path, value, depth in _walk(data):
        if depth > MAX_DEPTH:
            raise ParseError(
                _("The body is nested too deeply (at most %(max)d levels).") % {"max": MAX_DEPTH}
            )
        if NUL in path or (isinstance(value, str) and NUL in value):
            raise ValidationError({_field(path): [_("Null characters are not allowed.")]})


class JSONParser(parsers.JSONParser):
    """JSON bodies: one object, finite numbers, no NaN, bounded nesting, no NUL."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> dict[str, Any]:
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
            )
        except RecursionError as error:
            raise ParseError(
                _("The body is nested too deeply (at most %(max)d levels).") % {"max": MAX_DEPTH}
            ) from error
        except ValueError as error:
            # Also UnicodeDecodeError; int() of a 5,000-digit number is a ValueError too.
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from error
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object."))
        check_values(data)
        return data


def _check_querydict(data: QueryDict) -> None:
    for key, values in data.lists():
        if NUL in key or any(isinstance(value, str) and NUL in value for value in values):
            raise ValidationError(
                {
                    key.replace(NUL, "") or "non_field_errors": [
                        _("Null characters are not allowed.")
                    ]
                }
            )


class FormParser(parsers.FormParser):
    """URL-encoded forms, without NUL characters."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> QueryDict:
        data = super().parse(stream, media_type, parser_context)
        _check_querydict(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Multipart forms (photos), without NUL characters in their fields."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> parsers.DataAndFiles:
        result = super().parse(stream, media_type, parser_context)
        _check_querydict(result.data)
        return result


_ASCII_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def parse_int(text: object, *, low: int | None = None, high: int | None = None) -> int | None:
    """The integer written in ``text`` in ASCII digits within [low, high], else None.

    ``str.isdigit`` accepts "²" and other Unicode digits that ``int`` refuses or reads
    differently, and ``int`` accepts thousands of digits: every integer read from a path,
    a query string or a form goes through here instead.
    """
    if not isinstance(text, str | int) or isinstance(text, bool):
        return None
    text = str(text).strip()
    if not _ASCII_INTEGER.fullmatch(text):
        return None
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def parse_float(
    text: object, *, low: float | None = None, high: float | None = None
) -> float | None:
    """The finite number written in ``text`` (ASCII) within [low, high], else None."""
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        return None
    text = str(text).strip()
    if not text.isascii():
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number
