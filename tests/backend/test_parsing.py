"""The one parser of integers and numbers read from paths, query strings and forms."""

from __future__ import annotations

import pytest

from backend.parsers import parse_float, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("-3", -3),
        ("²", None),
        ("١٢", None),
        ("1e3", None),
        ("9" * 30, None),
        ("", None),
        ("12a", None),
        (None, None),
        (True, None),
        (5, 5),
    ],
)
def test_integers_are_ascii_digits_of_bounded_length(text, expected):
    assert parse_int(text) == expected


def test_integers_outside_the_bounds_are_none():
    assert parse_int("0", low=1) is None
    assert parse_int("101", high=100) is None
    assert parse_int("100", low=1, high=100) == 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.36", 4.36),
        ("-1e2", -100.0),
        ("nan", None),
        ("inf", None),
        ("-Infinity", None),
        ("1e400", None),
        ("٤", None),
        ("", None),
        ("x", None),
    ],
)
def test_numbers_are_finite(text, expected):
    assert parse_float(text) == expected
