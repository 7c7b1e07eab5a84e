"""make bench, citizen panel: stage 2 for 100 seats among 2,000 volunteers with four
criteria (sex, age band, sector, housing), timed with the selection's peak memory.

It runs the published command (``python3 -m contributions.sortition panel``) as the task
does, in a child process, on generated volunteers (tests/contributions/pool_factory.py) and
quotas of ±15 % around the territory's shares. Results: bench/results/panel.json.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contributions import sortition  # noqa: E402
from tests.contributions.volunteer_factory import proportional_quotas, volunteer_answers  # noqa: E402

SIZE = int(os.environ.get("BENCH_PANEL_SIZE", "100"))
VOLUNTEERS = int(os.environ.get("BENCH_PANEL_VOLUNTEERS", "2000"))
TIMEOUT = int(os.environ.get("BENCH_PANEL_TIMEOUT", "7200"))
SEED = "bench: Euromillions du 15 janvier 2027"


def main() -> None:
    answers = volunteer_answers(VOLUNTEERS)
    keys = list(answers[0])
    with tempfile.TemporaryDirectory() as folder:
        volunteers = Path(folder, "volontaires.csv")
        quotas = Path(folder, "quotas.csv")
        volunteers.write_text(sortition.volunteers_text(keys, enumerate(answers, start=1)))
        quotas.write_text(sortition.quotas_text(proportional_quotas(SIZE)))
        command = [
            sys.executable, "-m", "contributions.sortition", "panel",
            "--volunteers", str(volunteers), "--quotas", str(quotas),
            "--size", str(SIZE), "--seed", SEED, "--json",
        ]  # fmt: skip
        print(f"==> Citizen panel: {SIZE} among {VOLUNTEERS} volunteers, four criteria")
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT
            )
            seconds = round(time.monotonic() - started, 1)
            answer = json.loads(done.stdout) if done.returncode == 0 else {}
        except subprocess.TimeoutExpired:
            seconds, answer = float(TIMEOUT), {}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    chances = sorted(answer.get("probabilities", {}).values())
    result = {
        "size": SIZE,
        "volunteers": VOLUNTEERS,
        "criteria": keys,
        "seconds": seconds,
        "peak_memory_mb": peak_mb,
        "finished": bool(answer),
        "min_probability": round(chances[0], 4) if chances else None,
        "max_probability": round(chances[-1], 4) if chances else None,
    }
    print(json.dumps(result))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "panel.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
