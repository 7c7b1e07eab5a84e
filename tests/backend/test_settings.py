from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import ROOT

GOOD_KEY = "q8Zr-4vN_pL2+wX7!cT9@mB3#kJ6$hF1%sD5^gA0&yE2*uR8Wq"


def start(**env: str) -> subprocess.CompletedProcess:
    child_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    child_env.update({"ENV_FILE": "/nonexistent", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**child_env, "DJANGO_SETTINGS_MODULE": "backend.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = start(DEBUG="false", SECRET_KEY="django-insecure-development-only")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_or_repetitive_key():
    assert start(DEBUG="false", SECRET_KEY="k" * 60).returncode != 0
    assert start(DEBUG="false", SECRET_KEY=GOOD_KEY[:40]).returncode != 0


def test_production_refuses_wildcard_hosts():
    result = start(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_real_configuration():
    result = start(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="api.example.fr")
    assert result.returncode == 0, result.stderr


def test_development_starts_with_nothing_set():
    assert start(DEBUG="true").returncode == 0
