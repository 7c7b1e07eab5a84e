"""The app's copy of the workflow table, which draws the allowed moves, is the server's."""

from __future__ import annotations

import json
from pathlib import Path

from signalements.workflow import STAFF_TRANSITIONS

TABLE = Path(__file__).resolve().parents[2] / "web" / "app" / "workflow.json"


def test_the_apps_moves_are_the_workflows_staff_moves():
    moves = {status: set(targets) for status, targets in json.loads(TABLE.read_text()).items()}
    assert moves == STAFF_TRANSITIONS
