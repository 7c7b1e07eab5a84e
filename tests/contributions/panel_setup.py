"""A panel at its second stage: pool imported, letters drawn, volunteers registered."""

from __future__ import annotations

from contributions.demo import demo_panel_criteria
from contributions.models import Panel, PoolPerson
from contributions.services.panel import (
    panel_draw_invitations,
    panel_pool_import,
    panel_set_criteria,
    panel_volunteer_register,
)
from tests.contributions.pool_factory import pool_csv, pool_rows
from tests.contributions.volunteer_factory import volunteer_answers

INVITATION_SEED = "Loto du 5 décembre 2026 : 3 14 15 27 41, numéro chance 6"
SELECTION_SEED = "Euromillions du 15 janvier 2027 : 7 12 23 38 44, étoiles 2 9"


def invited_panel(panel: Panel, *, pool: int = 600, volunteers: int = 150) -> Panel:
    """The panel with its pool, its letters and ``volunteers`` replies entered by post."""
    panel_pool_import(panel=panel, data=pool_csv(pool_rows(pool)))
    panel_set_criteria(panel=panel, criteria=demo_panel_criteria())
    panel = panel_draw_invitations(panel=panel, seed=INVITATION_SEED)
    codes = PoolPerson.objects.filter(panel=panel).exclude(invitation_code="").order_by("number")
    for person, answers in zip(codes[:volunteers], volunteer_answers(volunteers), strict=True):
        panel_volunteer_register(
            panel=panel, code=person.invitation_code, answers=answers, user=None
        )
    panel.refresh_from_db()
    return panel
