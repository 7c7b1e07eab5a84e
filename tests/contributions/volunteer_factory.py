"""Volunteers of a citizen panel as they answer (standard library only: the bench uses it)."""

from __future__ import annotations

import random

# Shares like the territory's, for the demo panel's criteria (contributions.demo).
SHARES = {
    "sexe": {"F": 0.52, "M": 0.48},
    "age": {"18-29": 0.18, "30-44": 0.24, "45-59": 0.25, "60-74": 0.21, "75+": 0.12},
    "secteur": {"Nîmes": 0.55, "Autres communes": 0.45},
    "logement": {"propriétaire": 0.55, "locataire": 0.45},
}


def volunteer_answers(count: int, *, seed: int = 7) -> list[dict[str, str]]:
    """What volunteers declare, in proportions like the territory's (older people answer
    letters more often: the reason for quotas)."""
    rng = random.Random(seed)
    ages = {**SHARES["age"], "18-29": 0.10, "60-74": 0.29}
    shares = {**SHARES, "age": ages}
    return [
        {key: rng.choices(list(values), weights=list(values.values()))[0]
         for key, values in shares.items()}
        for _ in range(count)
    ]  # fmt: skip


def proportional_quotas(size: int, *, slack: float = 0.15) -> list[dict[str, object]]:
    """Quotas around the territory's shares, as an officer would set them."""
    return [
        {
            "criterion": key,
            "value": value,
            "min": int(share * size * (1 - slack)),
            "max": int(share * size * (1 + slack)) + 1,
        }
        for key, values in SHARES.items()
        for value, share in values.items()
    ]
