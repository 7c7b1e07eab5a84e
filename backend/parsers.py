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
from datetime import UTC, date, datetime
from decimal import Decimal
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


# A lone UTF-16 surrogate ("\ud800" in JSON) is no character: it cannot be encoded, stored
# or even echoed back in an error message.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_text(text: str) -> str | None:
    if NUL in text:
        return _("Null characters are not allowed.")
    if _SURROGATE.search(text):
        return _("The text holds an invalid character (a lone surrogate).")
    return None


def check_values(data: Any) -> None:
    """Refuse NUL characters and lone surrogates in keys and text, and deep nesting."""
    for path, value, depth in _walk(data):
        if depth > MAX_DEPTH:
            raise ParseError(
                _("The body is nested too deeply (at most %(max)d levels).") % {"max": MAX_DEPTH}
            )
        problem = _bad_text(path) or (_bad_text(value) if isinstance(value, str) else None)
        if problem:
            field = _SURROGATE.sub("", _field(path).replace(NUL, "")) or "non_field_errors"
            raise ValidationError({field: [problem]})


def loads(text: str | bytes | Any) -> Any:
    """JSON as the API reads it, from a body or a form field: finite numbers, no NaN,
    bounded nesting, no NUL nor lone surrogate. Raises ParseError."""
    try:
        if hasattr(text, "read"):
            data = json.load(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        else:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as error:
        raise ParseError(
            _("The body is nested too deeply (at most %(max)d levels).") % {"max": MAX_DEPTH}
        ) from error
    except json.JSONDecodeError as error:
        raise ParseError(
            _("Invalid JSON at line %(line)d, column %(column)d.")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    except UnicodeDecodeError as error:
        raise ParseError(_("The body must be encoded in UTF-8.")) from error
    except ValueError as error:
        # Our own refusals (NaN, 1e400) and int() of a number of thousands of digits.
        raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from error
    check_values(data)
    return data


class JSONParser(parsers.JSONParser):
    """JSON bodies: one object, finite numbers, no NaN, bounded nesting, no NUL."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: dict | None = None
    ) -> dict[str, Any]:
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            codec = codecs.lookup(encoding)
        except LookupError as error:
            raise ParseError(_("The body must be encoded in UTF-8.")) from error
        data = loads(codecs.getreader(codec.name)(stream))
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object."))
        return data


def _check_querydict(data: QueryDict) -> None:
    for key, values in data.lists():
        for text in (key, *(value for value in values if isinstance(value, str))):
            if problem := _bad_text(text):
                field = _SURROGATE.sub("", key.replace(NUL, "")) or "non_field_errors"
                raise ValidationError({field: [problem]})


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
        try:
            result = super().parse(stream, media_type, parser_context)
        except ParseError as error:
            # DRF's message is English and names Django's internals.
            raise ParseError(
                _("The multipart body could not be read (boundary or headers malformed).")
            ) from error
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


# Far enough from the ends of the calendar that a time zone, a UTC conversion or a window of
# days never overflows ``datetime`` (nor the database's own types).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
# The largest integer a database column of ours holds (bigint).
LARGEST_INTEGER = 2**63 - 1


def datetime_in_range(value: datetime | date) -> bool:
    """Whether an instant (or a day) lies between the years 1900 and 9000, in any time zone."""
    if not isinstance(value, datetime):
        return EARLIEST.date() <= value <= LATEST.date()
    try:
        instant = value if value.tzinfo else value.replace(tzinfo=UTC)
        return EARLIEST <= instant.astimezone(UTC) <= LATEST
    except (OverflowError, ValueError):
        return False


def value_problem(value: object) -> str | None:
    """Why a parsed value cannot reach the database, if it cannot."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal) and abs(value) > LARGEST_INTEGER:
        return _("This number is too large.")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return _("A finite number is expected.")
    if isinstance(value, date) and not datetime_in_range(value):
        return _("Give a date between the years 1900 and 9000.")
    return None
