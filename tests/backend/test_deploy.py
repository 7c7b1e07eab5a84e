from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "q8Zr-4vN_pL2+wX7!cT9@mB3#kJ6$hF1%sD5^gA0&yE2*uR8Wq",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.fr:587",
    "ALLOWED_HOSTS": "api.nimes-metropole.example",
    "SECURE_SSL": "true",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "ENV_FILE": "/nonexistent",
}


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_a_cache_kept_by_each_process():
    result = check_deploy(CACHE_URL="locmemcache://")
    assert result.returncode != 0
    assert "backend.E001" in result.stderr
    assert "redis://" in result.stderr


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
