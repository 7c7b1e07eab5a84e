"""The README's examples run as written against the demo.

Every ``sh`` block of the README's API part is one script, run by bash in order against a
live server holding the demo data, with the real curl and jq. Each curl must succeed
(status below 400) unless its line says which error it shows (``# -> 404``). The
back-office commands of the examples (``manage.py``) run too, on the same database.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.contributions.pool_factory import pool_csv, pool_rows
from tests.helpers import child_database_url

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MANAGE = ".venv/bin/python manage.py"
EXPECTED = re.compile(r"#\s*->\s*(\d{3})")

# curl as the examples call it, but failing the script on an error status the README does
# not announce, and saying which command failed.
HARNESS = r"""
set -euo pipefail
curl() {
    local body status
    body=$(mktemp)
    status=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || { cat "$body"; return 1; }
    cat "$body"
    rm -f "$body"
    local wanted="${EXPECT:-}"
    if { [ -n "$wanted" ] && [ "$status" != "$wanted" ]; } \
        || { [ -z "$wanted" ] && [ "$status" -ge 400 ]; }; then
        echo "README example answered $status (expected ${EXPECT:-< 400}): curl $*" >&2
        return 1
    fi
    echo "$status curl $*" >> "$README_LOG"
}
"""


def readme_script() -> str:
    """The ``sh`` blocks of the README's API part, in order, as one script."""
    text = README.read_text()
    api_part = text[text.index("\n## The API") :]
    following = re.search(r"\n## (?!The API)", api_part[1:])
    if following:
        api_part = api_part[: following.start() + 1]
    blocks = re.findall(r"```sh\n(.*?)```", api_part, flags=re.S)
    return "\n".join(_announce_expected(block) for block in blocks)


def _announce_expected(block: str) -> str:
    """Prefix ``EXPECT=<status>`` to each command whose last line announces an error."""
    lines = block.splitlines()
    for index, line in enumerate(lines):
        match = EXPECTED.search(line)
        if not match:
            continue
        start = index
        while start > 0 and lines[start - 1].rstrip().endswith("\\"):
            start -= 1
        lines[start] = f"EXPECT={match.group(1)} {lines[start]}"
    return "\n".join(lines) + "\n"


def phone_photo(path: Path) -> None:
    Image.radial_gradient("L").resize((1200, 900)).convert("RGB").save(path, "JPEG")


@pytest.mark.skipif(not shutil.which("jq"), reason="jq is installed by scripts/bootstrap.sh")
def test_the_readme_examples_run_against_the_demo(committed_db, live_server, tmp_path):
    script = readme_script()
    assert script.count("curl ") > 40
    script = script.replace("http://127.0.0.1:8000", live_server.url)
    script = script.replace("http://localhost:8000", live_server.url)
    for name in ("photo.jpg", "apres.jpg"):
        phone_photo(tmp_path / name)
    (tmp_path / "liste-electorale.csv").write_bytes(pool_csv(pool_rows(300)))
    (tmp_path / "bilan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    log = tmp_path / "curl.log"
    result = subprocess.run(
        [
            "bash",
            "-c",
            HARNESS + script.replace(MANAGE, f"{ROOT}/.venv/bin/python {ROOT}/manage.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "README_LOG": str(log),
            "DATABASE_URL": child_database_url(),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr[-4000:] + result.stdout[-2000:]
    ran = log.read_text().splitlines()
    assert len(ran) >= script.count("\ncurl ")
