"""A generated extract of the electoral lists of Nîmes Métropole, in the usual French shape."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from geo.models import Commune

HEADER = ["nom", "prénoms", "sexe", "date de naissance", "adresse", "code postal", "commune"]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Roux", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Chevalier",
    "Boyer", "Blanc", "Guérin", "Faure", "André", "Mercier", "Rey", "Gauthier", "Perrin",
]  # fmt: skip
FEMALE = ["Marie", "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Émilie",
          "Nathalie", "Isabelle", "Sylvie", "Monique", "Françoise", "Aïcha", "Lucie"]  # fmt: skip
MALE = ["Jean", "Pierre", "Lucas", "Hugo", "Louis", "Nicolas", "Julien", "Thomas", "Karim",
        "Philippe", "Michel", "Alain", "Bernard", "Mathieu", "Yanis", "Gabriel"]  # fmt: skip
STREETS = ["rue de la République", "avenue Jean-Jaurès", "boulevard Victor-Hugo",
           "chemin des Oliviers", "place de la Mairie", "rue des Arènes", "impasse des Vignes",
           "route d'Arles", "allée des Pins", "rue du Moulin"]  # fmt: skip


def pool_rows(count: int, *, seed: int = 2026) -> list[list[str]]:
    """People spread over the communes by population, 52 % women, adults of every age."""
    rng = random.Random(seed)
    communes = list(Commune.objects.without_boundaries().order_by("insee_code"))
    weights = [commune.population or 500 for commune in communes]
    today = date.today()
    rows = []
    for commune in rng.choices(communes, weights=weights, k=count):
        female = rng.random() < 0.52
        age_days = int(rng.triangular(18, 95, 40) * 365.25)
        born = today - timedelta(days=age_days + rng.randrange(365))
        postcode = (commune.postcodes or ["30000"])[0]
        rows.append(
            [
                rng.choice(LAST_NAMES).upper(),
                " ".join(rng.sample(FEMALE if female else MALE, rng.choice((1, 1, 2)))),
                "F" if female else "M",
                born.strftime("%d/%m/%Y"),
                f"{rng.randrange(1, 140)} {rng.choice(STREETS)}",
                postcode,
                commune.name,
            ]
        )
    return rows


def pool_csv(rows: list[list[str]], *, header: list[str] = HEADER) -> bytes:
    """The rows as a French CSV (semicolons, UTF-8 with BOM, as a spreadsheet saves it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


# The criteria of a panel as Nîmes Métropole might set them: sex and age band (compared
# with the electoral lists), a sector of communes, and one of the authority's own.
def panel_criteria() -> list[dict[str, object]]:
    nimes = ["30189"]
    others = list(
        Commune.objects.exclude(insee_code="30189")
        .order_by("insee_code")
        .values_list("insee_code", flat=True)
    )
    return [
        {"key": "sexe", "label": "Sexe", "values": [{"value": "F", "label": "Femme"},
                                                    {"value": "M", "label": "Homme"}]},
        {"key": "age", "label": "Âge", "values": [{"value": band} for band in
                                                  ("18-29", "30-44", "45-59", "60-74", "75+")]},
        {"key": "secteur", "label": "Secteur", "values": [
            {"value": "Nîmes", "communes": nimes},
            {"value": "Autres communes", "communes": others},
        ]},
        {"key": "logement", "label": "Logement", "values": [{"value": "propriétaire"},
                                                            {"value": "locataire"}]},
    ]  # fmt: skip


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
