"""The clients an app team generates from the live schema, generated the same way here.

The schema is written by drf-spectacular from the running code, then given unedited to
openapi-python-client (Python) and openapi-typescript (TypeScript), the generators a mobile
or web team would pick. Their output lands in a temporary folder.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "agglo_client"
CONFIG = Path(__file__).with_name("openapi-python-client.yaml")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a generator as a developer would, with the project's tools first on PATH."""
    path = os.pathsep.join([str(ROOT / ".venv" / "bin"), os.environ.get("PATH", "")])
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PATH": path, "NO_COLOR": "1"},
    )


@pytest.fixture(scope="session")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command(
        "spectacular",
        "--format",
        "openapi-json",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(target),
    )
    return target


@pytest.fixture(scope="session")
def python_generation(schema_file: Path) -> subprocess.CompletedProcess[str]:
    """openapi-python-client's run on the schema, unedited."""
    folder = schema_file.parent
    return run(
        [
            str(ROOT / ".venv" / "bin" / "openapi-python-client"),
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--overwrite",
            "--config",
            str(CONFIG),
        ],
        cwd=folder,
    )


@pytest.fixture(scope="session")
def agglo_client(python_generation: subprocess.CompletedProcess[str], schema_file: Path):
    """The generated package, importable."""
    assert python_generation.returncode == 0, python_generation.stdout + python_generation.stderr
    sys.path.insert(0, str(schema_file.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(schema_file.parent))
