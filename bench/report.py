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
Per-endpoint figures are one client at a time, cold (no HTTP cache, no `If-None-Match`): what
one phone waits. Concurrency is the mixed load's business.
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


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue that this run measured."""
    rows: list[tuple[str, str, bool | None]] = []
    scales = results.get("scales", {})
    if not scales:
        return rows
    largest = scales[max(scales, key=int)]["endpoints"]
    smallest = scales[min(scales, key=int)]["endpoints"]
    maps = {name: row for name, row in largest.items() if name.startswith("map ")}
    if maps:
        worst = max(maps, key=lambda name: maps[name].get("p50_ms", 0))
        p50 = maps[worst].get("p50_ms", 0)
        rows.append(
            (
                "map, any viewport and filter: p50 ≤ 100 ms cold at the largest size",
                f"worst p50 {p50:g} ms ({worst})",
                p50 <= 100,
            )
        )
        growth = {
            name: (row.get("p50_ms", 0), smallest[name].get("p50_ms", 0))
            for name, row in maps.items()
            if name in smallest
        }
        if growth:
            # Flat: the largest base costs at most twice the smallest, or 10 ms more (at a
            # few ms, a ratio alone says little).
            steepest = max(growth, key=lambda name: growth[name][0] - growth[name][1])
            large, small = growth[steepest]
            rows.append(
                (
                    "map cost flat from the smallest to the largest size: ≤ 2× or ≤ 10 ms more, "
                    "every zoom and filter",
                    f"largest growth {small:g} → {large:g} ms ({steepest})",
                    all(a <= 2 * b or a - b <= 10 for a, b in growth.values()),
                )
            )
    checks = [
        ("list geojson 500 (viewport)", 50, "GeoJSON list of a viewport (500 features)"),
        ("nearby duplicates", 20, "nearby duplicate suggestions"),
        ("figures (kept)", 300, "public figures, as served (kept STATS_CACHE_SECONDS)"),
        ("figures (cold)", 300, "public figures, computed for a new set of filters"),
    ]
    for name, limit, label in checks:
        row = largest.get(name)
        if row and "p50_ms" in row:
            rows.append(
                (f"{label}: p50 ≤ {limit} ms", f"p50 {row['p50_ms']:g} ms", row["p50_ms"] <= limit)
            )
    row = largest.get("list geojson 500 (viewport)")
    if row and row.get("floor_ms"):
        ratio = row["p50_ms"] / row["floor_ms"]
        rows.append(
            (
                "GeoJSON list within 2× of the database producing the same GeoJSON",
                f"{ratio:.2f}× (floor {row['floor_ms']:g} ms)",
                ratio <= 2,
            )
        )
    if "filing" in results:
        p50 = results["filing"]["p50_ms"]
        rows.append(("filing with three 12 MP JPEGs: p50 ≤ 300 ms", f"p50 {p50:g} ms", p50 <= 300))
    processing = results.get("processing")
    if processing:
        rows.append(
            (
                "photo processing within 1.5× of bare Pillow",
                f"{processing['ratio']:.2f}× ({processing['ours_ms_p50']:g} ms against "
                f"{processing['bare_ms_p50']:g} ms)",
                processing["ratio"] <= 1.5,
            )
        )
    if "fanout" in results:
        row = results["fanout"]
        rows.append(
            (
                "consultation alert to every device in ≤ 10 s, FCM requests not growing "
                "with devices",
                f"{row['devices']:,} devices in {row['seconds']:g} s, {row['fcm_requests']} "
                "requests",
                row["seconds"] <= 10 and row["fcm_requests"] < 1000,
            )
        )
    if "personal" in results:
        rate = results["personal"]["per_second"]
        rows.append(("personal notifications ≥ 500 per second", f"{rate:g}/s", rate >= 500))
    errors = sum(
        row.get("errors", 0) for data in scales.values() for row in data.get("mixed", {}).values()
    )
    if any("mixed" in data for data in scales.values()):
        rows.append(("mixed load of 50 users: zero errors", f"{errors} errors", errors == 0))
    return rows


def render(results: dict[str, Any]) -> str:
    lines = [HEADER]
    verdicts = targets(results)
    if verdicts:
        lines.append("## Targets\n")
        lines.append("| target | measured | |")
        lines.append("|---|---|---|")
        for label, measured, ok in verdicts:
            lines.append(f"| {label} | {measured} | {_verdict(ok)} |")
        lines.append("")
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
