"""Counters the trust tests fill, printed at the end of the run (see tests/conftest.py)."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()


def count(name: str, value: int = 1) -> None:
    FIGURES[name] += value
