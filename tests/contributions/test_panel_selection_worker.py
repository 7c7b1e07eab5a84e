"""Stage 2 runs in the task worker, out of the request: the officer's call answers at once,
a real worker constitutes the panel and tells its members."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from backend.models import User
from contributions.models import Panel, PanelVolunteer
from push.models import Notification
from tests.contributions.panel_setup import SELECTION_SEED, invited_panel
from tests.contributions.volunteer_factory import proportional_quotas
from tests.helpers import manage


def test_a_real_worker_selects_the_panel_and_tells_its_members(
    committed_db, agglomeration, client_for, officer
):
    panel = invited_panel(
        Panel.objects.create(
            organisation=agglomeration, slug="panel-worker", title="Panel", size=12,
            invitations=200,
        )
    )  # fmt: skip
    # Every volunteer answered from the app, with an account.
    seats = list(panel.volunteers.all())
    users = User.objects.bulk_create(
        [User(email=f"volontaire{seat.number}@example.test") for seat in seats]
    )
    for seat, user in zip(seats, users, strict=True):
        seat.user = user
    PanelVolunteer.objects.bulk_update(seats, ["user"])
    response = client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/selection/",
        {"seed": SELECTION_SEED, "quotas": proportional_quotas(panel.size)},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert DBTaskResult.objects.filter(status="READY").exists()

    worker = manage("db_worker", "--batch", "--no-startup-delay", timeout=300)

    assert worker.returncode == 0, worker.stderr
    panel.refresh_from_db()
    assert panel.stage == Panel.Stage.CONSTITUTED, panel.selection_problems
    assert panel.record["selected"] and not panel.pool.exists()
    members = panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).values("user")
    told = Notification.objects.filter(kind="panel", user__in=members)
    assert told.count() == panel.size
