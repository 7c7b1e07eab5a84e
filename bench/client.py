"""What the bench's clients share: a keep-alive HTTP client, the phone's map viewports,
multipart bodies and latency summaries. Importing it changes nothing (bench/bench.py sets
its environment at import; bench/cluster.py sets another)."""

from __future__ import annotations

import gzip
import http.client
import json
import random
import statistics
import time
import uuid
from typing import Any

# The Maison Carrée (longitude, latitude), where people look most, and the territory.
NIMES = (4.3601, 43.8367)
TERRITORY = (4.0, 43.6, 4.7, 44.1)


def summary(latencies_ms: list[float], seconds: float | None = None) -> dict[str, Any]:
    if not latencies_ms:
        return {"n": 0}
    ordered = sorted(latencies_ms)
    result = {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
    }
    if seconds:
        result["throughput_rps"] = round(len(ordered) / seconds, 1)
    return result


class Http:
    """One keep-alive connection, as a phone's HTTP stack keeps one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, float, bytes]:
        headers = {"Accept-Encoding": "gzip", **(headers or {})}
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, (time.perf_counter() - started) * 1000, data
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def viewport(rng: random.Random, zoom: int) -> str:
    """A phone screen (400 x 800 px) somewhere people look: mostly Nîmes, sometimes elsewhere."""
    width = 400 / 256 * 360 / 2**zoom
    height = 800 / 256 * 360 / 2**zoom * 0.72  # degrees of latitude are longer here
    if rng.random() < 0.7:
        x, y = rng.gauss(NIMES[0], 0.03), rng.gauss(NIMES[1], 0.02)
    else:
        x, y = rng.uniform(TERRITORY[0], TERRITORY[2]), rng.uniform(TERRITORY[1], TERRITORY[3])
    return f"{x - width / 2:.5f},{y - height / 2:.5f},{x + width / 2:.5f},{y + height / 2:.5f}"


def map_path(rng: random.Random, zoom: int) -> str:
    return f"/api/v1/signalements/map/?bbox={viewport(rng, zoom)}&zoom={zoom}"


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def json_of(data: bytes) -> Any:
    """The JSON of an answer, gzipped or not (``Http`` asks for gzip, as phones do)."""
    return json.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
