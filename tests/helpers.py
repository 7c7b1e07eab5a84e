"""Helpers for tests that start real processes against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def child_database_url() -> str:
    """DATABASE_URL of the database the tests run on (the test database, not the main one)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        user = settings["USER"] or "postgres"
        return f"postgis://{user}@{host}:{port}/{settings['NAME']}"
    return f"spatialite:///{settings['NAME']}"


def manage(*args: str, timeout: float = 120, env: dict[str, str] | None = None):
    """Run ``manage.py`` in a child process on the test database."""
    child_env = {**os.environ, "DATABASE_URL": child_database_url(), **(env or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
