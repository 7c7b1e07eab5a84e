"""Renders bench/RESULTS.md from the figures of a run (bench/results/latest.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HEADER = """# Bench results

Written by `make bench` (bench/run.sh, bench/bench.py) from `bench/results/latest.json`.
Every latency is measured over HTTP against gunicorn on 127.0.0.1, by a Python load
generator running on the same machine (it takes CPU from the server: figures are pessimistic).
**Floor** = what the same work costs without the application: the database's own time for
the same SQL (map: the very statement that builds the GeoJSON; lists and details: the sum of
the queries of the request, timed by Django's query capture), a bare upload of the same bytes
to an HTTP sink for filing, bare HTTP posts to the fake FCM for delivery.

"""


MIXED_NOTE = (
    "50 users for 60 s, each waiting 0 to 0.5 s between requests; map 35 % (zoom 11 to 17 "
    "around Nîmes), list 20 %, detail 20 %, inbox 15 % (JWT), categories 5 %, "
    "filing (JSON) 5 %."
)


def _ms(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "–" if value is None else f"{value:g}"


def render(results: dict[str, Any]) -> str:
    lines = [HEADER]
    machine = results.get("machine", {})
    lines.append(
        f"Machine: {machine.get('cpus')} CPUs, Python {machine.get('python')}, "
        f"{machine.get('server')}, DATABASE_POOL={machine.get('database_pool')}.\n"
    )
    for scale, data in results.get("scales", {}).items():
        lines.append(
            f"## {int(scale):,} reports ({data['reports']:,} rows, seeded in "
            f"{data['seed_seconds']} s)\n"
        )
        lines.append("| endpoint | n | p50 ms | p95 ms | req/s | floor ms | errors |")
        lines.append("|---|---|---|---|---|---|---|")
        for name, row in data["endpoints"].items():
            lines.append(
                f"| {name} | {row.get('n', 0)} | {_ms(row, 'p50_ms')} | {_ms(row, 'p95_ms')} | "
                f"{_ms(row, 'throughput_rps')} | {_ms(row, 'floor_ms')} | "
                f"{row.get('errors', 0)} |"
            )
        lines.append("")
        if "mixed" in data:
            lines.append(f"Mixed mobile load at this size: {MIXED_NOTE}\n")
            lines.append("| endpoint | n | p50 ms | p95 ms | req/s | errors |")
            lines.append("|---|---|---|---|---|---|")
            for name, row in data["mixed"].items():
                lines.append(
                    f"| {name} | {row.get('n', 0)} | {_ms(row, 'p50_ms')} | "
                    f"{_ms(row, 'p95_ms')} | {_ms(row, 'throughput_rps')} | "
                    f"{row.get('errors', 0)} |"
                )
            lines.append("")
    if "filing" in results:
        row = results["filing"]
        lines.append("## Filing a report with three 12-megapixel JPEGs\n")
        lines.append(
            f"Photos of {row['photo_mb']} MB. p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms "
            f"(n={row['n']}); floor (same bytes to a sink) {row['floor_ms']} ms. {row['note']}.\n"
        )
    if "fanout" in results:
        row = results["fanout"]
        lines.append("## Consultation alert fan-out\n")
        lines.append(
            f"{row['devices']:,} subscribed devices over the communes: handed to the fake FCM in "
            f"{row['seconds']} s with {row['fcm_requests']} FCM requests "
            f"(one per interest-profile topic, independent of the number of devices).\n"
        )
    if "personal" in results:
        row = results["personal"]
        lines.append("## Personal notifications\n")
        lines.append(
            f"{row['deliveries']:,} deliveries queued in {row['queue_seconds']} s, sent through "
            f"the real firebase-admin to the fake FCM by {row['push_worker_processes']} "
            f"`deliver_due` processes in {row['deliver_seconds']} s: **{row['per_second']}/s** "
            f"(floor: bare HTTP posts to the fake, {row['floor_per_second']}/s).\n"
        )
    if "mixed" in results:
        lines.append(
            f"## Mixed mobile load ({results.get('mixed_reports', 0):,} reports in the base)\n"
        )
        lines.append("| endpoint | n | p50 ms | p95 ms | req/s | errors |")
        lines.append("|---|---|---|---|---|---|")
        for name, row in results["mixed"].items():
            lines.append(
                f"| {name} | {row.get('n', 0)} | {_ms(row, 'p50_ms')} | {_ms(row, 'p95_ms')} | "
                f"{_ms(row, 'throughput_rps')} | {row.get('errors', 0)} |"
            )
        lines.append("")
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines.append(notes.read_text(encoding="utf-8"))
    return "\n".join(lines)


if __name__ == "__main__":
    source = Path(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results/latest.json"
    )
    print(render(json.loads(source.read_text(encoding="utf-8"))))
