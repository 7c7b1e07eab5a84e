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
