"""The citizen panel's draws by lot, as anyone can re-run them: standard library only.

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
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable, Sequence

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
    args = parser.parse_args(argv)
    numbers = draw_invitations(
        seed=args.seed, pool_digest=args.pool_hash, pool_size=args.pool_size, count=args.count
    )
    print("\n".join(str(number) for number in numbers))


if __name__ == "__main__":
    main()
