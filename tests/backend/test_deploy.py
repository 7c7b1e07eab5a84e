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
    "ENV_FILE": "/nonexistent",
}


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
