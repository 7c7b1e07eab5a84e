"""Stage 1 of the panel's draw: letters of invitation drawn uniformly, reproducible by anyone."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from backend.errors import Conflict
from contributions.models import Panel, PoolPerson
from contributions.selectors.panel import panel_letters
from contributions.services.panel import CODE_ALPHABET, panel_draw_invitations, panel_pool_import
from tests.contributions.pool_factory import pool_csv, pool_rows

pytestmark = pytest.mark.django_db
SEED = "Loto du 5 décembre 2026 : 3 14 15 27 41, numéro chance 6"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pool(agglomeration) -> Panel:
    panel = Panel.objects.create(
        organisation=agglomeration, slug="panel-2027", title="Panel citoyen 2027", invitations=500
    )
    panel_pool_import(panel=panel, data=pool_csv(pool_rows(5_000)))
    return Panel.objects.get(pk=panel.pk)


def rerun(panel: Panel, seed: str) -> list[int]:
    """The documented command a resident runs from the public record."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "contributions.sortition",
            "invitations",
            "--seed",
            seed,
            "--pool-hash",
            panel.pool_hash,
            "--pool-size",
            str(panel.pool_size),
            "--count",
            str(panel.invitations),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(line) for line in out.stdout.split()]


def test_anyone_gets_the_same_invitations_from_the_seed_and_the_pool_hash(pool):
    drawn = panel_draw_invitations(panel=pool, seed=SEED)
    assert drawn.stage == Panel.Stage.INVITED
    assert len(drawn.invited_numbers) == len(set(drawn.invited_numbers)) == 500
    assert rerun(drawn, SEED) == drawn.invited_numbers
    assert rerun(drawn, SEED + " ") != drawn.invited_numbers
    invited = PoolPerson.objects.filter(panel=pool).exclude(invitation_code="")
    assert sorted(invited.values_list("number", flat=True)) == sorted(drawn.invited_numbers)


def test_the_draw_is_uniform_over_the_pool(pool):
    numbers = panel_draw_invitations(panel=pool, seed=SEED).invited_numbers
    # Halves of the pool get about half of the letters each (binomial, 500 letters: sd 11).
    assert abs(sum(number <= 2_500 for number in numbers) - 250) < 50
    sexes = Counter(
        PoolPerson.objects.filter(panel=pool, number__in=numbers).values_list("sex", flat=True)
    )
    assert abs(sexes["F"] / 500 - 0.52) < 0.08


def test_it_is_drawn_once(pool):
    panel_draw_invitations(panel=pool, seed=SEED)
    with pytest.raises(Conflict):
        panel_draw_invitations(panel=pool, seed="another seed")


def test_the_letters_are_a_mail_merge_file_with_one_code_each(pool):
    drawn = panel_draw_invitations(panel=pool, seed=SEED)
    header, *letters = list(panel_letters(panel=drawn))
    assert header == ["numero", "nom", "prenoms", "adresse", "code_postal", "commune", "code"]
    assert [int(row[0]) for row in letters] == drawn.invited_numbers
    codes = [row[-1] for row in letters]
    assert len(set(codes)) == 500
    assert all(len(code) == 10 and set(code) <= set(CODE_ALPHABET) for code in codes)
