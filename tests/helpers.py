"""Helpers shared by tests: real processes against the test database, back-office forms."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.forms import CheckboxInput, MultiWidget

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


def admin_form_data(response) -> dict[str, object]:
    """What the browser would post back from a change page, every field as it was shown."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound in form:
            widget, value = bound.field.widget, bound.value()
            if isinstance(widget, MultiWidget):
                parts = widget.decompress(value)
                for suffix, sub, part in zip(
                    widget.widgets_names, widget.widgets, parts, strict=True
                ):
                    data[bound.html_name + suffix] = sub.format_value(part) or ""
            elif isinstance(widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, GEOSGeometry):
                data[bound.html_name] = value.ewkt
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = widget.format_value(value) or ""
    return data
