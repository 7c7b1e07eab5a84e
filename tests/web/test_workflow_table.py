"""The app's copy of the workflow table, which draws the allowed moves, is the server's."""

from __future__ import annotations

import json
from pathlib import Path

from signalements.models import OPEN_STATUSES
from signalements.workflow import STAFF_TRANSITIONS

TABLE = json.loads((Path(__file__).resolve().parents[2] / "web/app/workflow.json").read_text())


def test_the_apps_moves_are_the_workflows_staff_moves():
    moves = {status: set(targets) for status, targets in TABLE["staff_moves"].items()}
    assert moves == STAFF_TRANSITIONS


def test_the_apps_open_statuses_are_the_workflows():
    assert set(TABLE["open"]) == set(OPEN_STATUSES)
