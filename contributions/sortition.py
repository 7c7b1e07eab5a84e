"""The citizen panel's draws by lot, as anyone can re-run them.

Stage 1 invites people of the pool (an extract of the electoral lists) uniformly at random.
Each person of the pool has a number, their rank in the imported file (1 to M, rows kept in
file order). The draw gives each number the key SHA-256("<seed>\\n<pool hash>\\n<number>") and
invites the N numbers with the smallest keys (hexadecimal order): uniform, since SHA-256
spreads its outputs evenly, and fixed by the seed announced before the draw and by the pool's
hash published before the seed was known.

    python3 -m contributions.sortition invitations --seed "…" --pool-hash H --pool-size M --count N

prints the invited numbers in the order of their keys; the panel's public record lists the
same numbers (never names).

The pool's hash is SHA-256 of its canonical text: one line per person, in pool order,
``nom;prénoms;sexe;AAAA-MM-JJ;adresse;code postal;commune`` with the values as imported
(trimmed, ``;`` and line breaks replaced by spaces), in UTF-8, each line ending in ``\\n``.

Stage 2 selects the panel among the volunteers (those invited who answered, each with a
public number and the criteria they declared, never a name) with quotas per criterion. It
runs the maximin algorithm of ``sortition-algorithms`` (Flanigan et al., Nature 2021) with the
HiGHS solver: of all the lotteries over panels that meet every quota, the one that gives the
least likely volunteer the greatest chance; one panel is then drawn from that lottery.

    python3 -m contributions.sortition panel --volunteers volontaires.csv \\
        --quotas quotas.csv --size 100 --seed "…"

prints the numbers selected, then the reserve list in its order. Both files are the panel's
published ones (``numero;<critère>;…`` and ``critere;valeur;min;max``, semicolons, UTF-8);
the volunteers' hash is SHA-256 of their canonical text (header then one line per volunteer
in number order, as for the pool). The solver's random draws come from
SHA-256("<seed>\\n<volunteers' hash>"); Python's own hashing is fixed (PYTHONHASHSEED=0,
set by the command itself) so that the same files and seed give the same panel. The reserve
list orders the volunteers not selected by SHA-256("<seed>\\n<volunteers' hash>\\n<number>").
Stage 1 needs the standard library only; stage 2 needs ``sortition-algorithms`` 0.12
(``pip install 'sortition-algorithms==0.12.15'``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

POOL_FIELDS = ("last_name", "first_names", "sex", "birth_date", "address", "postcode", "commune")


def canonical_line(values: Sequence[str]) -> str:
    """One person of the pool as a line of the canonical text."""
    cleaned = (" ".join(str(value).replace(";", " ").split()) for value in values)
    return ";".join(cleaned) + "\n"


def pool_hash(lines: Iterable[str]) -> str:
    """SHA-256 of the canonical text of the pool, given its lines in pool order."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
    return digest.hexdigest()


def invitation_key(*, seed: str, pool_digest: str, number: int) -> str:
    return hashlib.sha256(f"{seed}\n{pool_digest}\n{number}".encode()).hexdigest()


def draw_invitations(*, seed: str, pool_digest: str, pool_size: int, count: int) -> list[int]:
    """The numbers (1 to pool_size) of the people invited, in the order of their keys."""
    keys = sorted(
        (invitation_key(seed=seed, pool_digest=pool_digest, number=number), number)
        for number in range(1, pool_size + 1)
    )
    return [number for _key, number in keys[:count]]


VOLUNTEER_NUMBER = "numero"
QUOTA_COLUMNS = ("critere", "valeur", "min", "max")
ALGORITHM = "maximin"
SOLVER = "highspy"
LIBRARY = "sortition-algorithms"


def volunteers_text(
    keys: Sequence[str], volunteers: Iterable[tuple[int, Mapping[str, str]]]
) -> str:
    """The canonical text of the volunteers: what is published, and hashed."""
    lines = [canonical_line([VOLUNTEER_NUMBER, *keys])]
    for number, answers in sorted(volunteers, key=lambda item: item[0]):
        lines.append(canonical_line([str(number), *(answers.get(key, "") for key in keys)]))
    return "".join(lines)


def quotas_text(quotas: Iterable[Mapping[str, object]]) -> str:
    """The quotas as published: ``critere;valeur;min;max``."""
    lines = [canonical_line(QUOTA_COLUMNS)]
    for quota in quotas:
        lines.append(
            canonical_line(
                [str(quota["criterion"]), str(quota["value"]), str(quota["min"]), str(quota["max"])]
            )
        )
    return "".join(lines)


def _rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    return [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=";")
        if any(cell.strip() for cell in row)
    ]


def read_volunteers(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The criteria's keys and the volunteers (number, answers) of a published file."""
    header, *body = _rows(text)
    keys = header[1:]
    return keys, [(int(row[0]), dict(zip(keys, row[1:], strict=True))) for row in body]


def read_quotas(text: str) -> list[dict[str, object]]:
    _header, *body = _rows(text)
    return [
        {"criterion": row[0], "value": row[1], "min": int(row[2]), "max": int(row[3])}
        for row in body
    ]


def solver_seed(*, seed: str, volunteers_digest: str) -> int:
    """The integer that seeds the library's random draws (never 0: 0 means unseeded)."""
    return int(hashlib.sha256(f"{seed}\n{volunteers_digest}".encode()).hexdigest()[:15], 16) or 1


def reserve_order(*, seed: str, volunteers_digest: str, numbers: Iterable[int]) -> list[int]:
    """The reserve list: volunteers not selected, in the order of their keys."""
    return sorted(
        numbers,
        key=lambda number: hashlib.sha256(
            f"{seed}\n{volunteers_digest}\n{number}".encode()
        ).hexdigest(),
    )


@dataclass
class Infeasible(Exception):
    """The quotas cannot all be met by these volunteers: for each quota to change, the
    bound asked and the nearest bound that can be met (as the library's relaxation finds)."""

    quotas: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Selection:
    selected: list[int]
    reserve: list[int]
    probabilities: dict[int, float]
    volunteers_hash: str
    algorithm: str = ALGORITHM
    solver: str = SOLVER
    library: str = LIBRARY
    version: str = ""


class _Progress:
    """The library's progress reports, passed on as one line of text each."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.phase = ""
        self.total: int | None = None

    def start_phase(
        self, name: str, total: int | None = None, *, message: str | None = None
    ) -> None:
        self.phase, self.total = name, total
        self.report(message or name)

    def update(self, current: int, *, message: str | None = None) -> None:
        total = f"/{self.total}" if self.total else ""
        self.report(f"{self.phase} {current}{total}" + (f": {message}" if message else ""))

    def end_phase(self) -> None:
        pass


def select_panel(
    *,
    keys: Sequence[str],
    volunteers: Sequence[tuple[int, Mapping[str, str]]],
    quotas: Sequence[Mapping[str, object]],
    size: int,
    seed: str,
    progress: Callable[[str], None] = lambda line: None,
) -> Selection:
    """Stage 2: the panel and its reserve, from the volunteers, quotas and announced seed.

    Reproducible only with PYTHONHASHSEED=0 (the library iterates over sets of ids)."""
    from importlib.metadata import version

    from sortition_algorithms import Settings, read_in_features, read_in_people
    from sortition_algorithms.committee_generation import find_distribution_maximin
    from sortition_algorithms.core import lottery_rounding, standardize_distribution
    from sortition_algorithms.errors import InfeasibleQuotasError
    from sortition_algorithms.features import iterate_feature_collection
    from sortition_algorithms.utils import set_random_provider

    digest = hashlib.sha256(volunteers_text(keys, volunteers).encode()).hexdigest()
    features, *_messages = read_in_features(
        ["feature", "value", "min", "max"],
        [
            {
                "feature": str(quota["criterion"]),
                "value": str(quota["value"]),
                "min": str(quota["min"]),
                "max": str(quota["max"]),
            }
            for quota in quotas
        ],
        size,
    )
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        check_same_address=False,
        selection_algorithm=ALGORITHM,
        solver_backend=SOLVER,
        random_number_seed=solver_seed(seed=seed, volunteers_digest=digest),
    )
    people, _report = read_in_people(
        ["id", *keys],
        [
            {"id": str(number), **{key: answers[key] for key in keys}}
            for number, answers in volunteers
        ],
        features,
        settings,
    )
    set_random_provider(settings.random_number_seed)
    try:
        committees, probabilities, _report = find_distribution_maximin(
            features, people, size, [], SOLVER, progress_reporter=_Progress(progress)
        )
    except InfeasibleQuotasError as error:
        asked = {(str(q["criterion"]), str(q["value"])): q for q in quotas}
        changes = []
        for name, value, bounds in iterate_feature_collection(error.features):
            quota = asked.get((name, value)) or next(
                (q for (n, v), q in asked.items() if n.lower() == name.lower() and v == value),
                None,
            )
            if quota is None:
                continue
            if bounds.min != quota["min"] or bounds.max != quota["max"]:
                changes.append(
                    {
                        "criterion": quota["criterion"],
                        "value": quota["value"],
                        "min": quota["min"],
                        "max": quota["max"],
                        "feasible_min": bounds.min,
                        "feasible_max": bounds.max,
                    }
                )
        raise Infeasible(changes) from None
    committees, probabilities = standardize_distribution(committees, probabilities)
    chance: dict[int, float] = {number: 0.0 for number, _answers in volunteers}
    for committee, probability in zip(committees, probabilities, strict=True):
        for person in committee:
            chance[int(person)] += probability
    [panel] = lottery_rounding(committees, probabilities, 1)
    selected = sorted(int(person) for person in panel)
    chosen = set(selected)
    reserve = reserve_order(
        seed=seed,
        volunteers_digest=digest,
        numbers=[number for number, _answers in volunteers if number not in chosen],
    )
    return Selection(
        selected=selected,
        reserve=reserve,
        probabilities={number: round(p, 6) for number, p in sorted(chance.items())},
        volunteers_hash=digest,
        version=version(LIBRARY),
    )


def _fixed_hashing(argv: Sequence[str]) -> None:
    """Run again with PYTHONHASHSEED=0 if this process hashes at random."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        environment = {**os.environ, "PYTHONHASHSEED": "0"}
        os.execve(sys.executable, [sys.executable, "-m", __spec__.name, *argv], environment)


def _restore_stdout(saved: int) -> None:
    sys.stdout.flush()
    os.dup2(saved, 1)
    os.close(saved)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python3 -m contributions.sortition",
        description="Re-run a draw of the citizen panel from its public record.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    stage_1 = commands.add_parser("invitations", help="stage 1: who gets a letter")
    stage_1.add_argument("--seed", required=True, help="the seed announced before the draw")
    stage_1.add_argument("--pool-hash", required=True, help="the pool's published SHA-256")
    stage_1.add_argument("--pool-size", required=True, type=int, help="people in the pool")
    stage_1.add_argument("--count", required=True, type=int, help="letters sent")
    stage_2 = commands.add_parser("panel", help="stage 2: who sits on the panel")
    stage_2.add_argument("--volunteers", required=True, help="the published volunteers' CSV")
    stage_2.add_argument("--quotas", required=True, help="the published quotas' CSV")
    stage_2.add_argument("--size", required=True, type=int, help="members of the panel")
    stage_2.add_argument("--seed", required=True, help="the seed announced before the draw")
    stage_2.add_argument("--json", action="store_true", help="one JSON object on stdout")
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    if args.command == "invitations":
        numbers = draw_invitations(
            seed=args.seed, pool_digest=args.pool_hash, pool_size=args.pool_size, count=args.count
        )
        print("\n".join(str(number) for number in numbers))
        return
    _fixed_hashing(arguments)
    with open(args.volunteers, encoding="utf-8-sig") as file:
        keys, volunteers = read_volunteers(file.read())
    with open(args.quotas, encoding="utf-8-sig") as file:
        quotas = read_quotas(file.read())
    # The solver prints its banner on the standard output: the answer goes out alone.
    sys.stdout.flush()
    answer = os.dup(1)
    os.dup2(2, 1)
    try:
        selection = select_panel(
            keys=keys,
            volunteers=volunteers,
            quotas=quotas,
            size=args.size,
            seed=args.seed,
            progress=lambda line: print(f"progress: {line}", file=sys.stderr, flush=True),
        )
    except Infeasible as error:
        _restore_stdout(answer)
        if args.json:
            print(json.dumps({"infeasible": error.quotas}))
        else:
            for quota in error.quotas:
                print(
                    "infeasible: {criterion}={value} [{min},{max}] -> "
                    "[{feasible_min},{feasible_max}]".format(**quota)
                )
        raise SystemExit(3) from None
    _restore_stdout(answer)
    if args.json:
        print(json.dumps(selection.__dict__))
        return
    print(f"volunteers' hash: {selection.volunteers_hash}")
    print("selected: " + " ".join(str(number) for number in selection.selected))
    print("reserve: " + " ".join(str(number) for number in selection.reserve))


if __name__ == "__main__":
    main()
