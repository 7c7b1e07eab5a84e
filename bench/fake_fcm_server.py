"""The tests' fake FCM as a process of its own for the bench; prints its port, then serves.

Adds ``GET /stats`` (how many messages were sent), ``GET /sends`` (the token and
``notification_id`` of each message, in order of arrival) and ``POST /upload-sink`` (reads a body
and answers 200: the floor of an upload) and keeps connections alive like the real FCM.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fake_fcm import FakeFCM


class BenchFakeFCM(FakeFCM):
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self
        base = super()._handler()

        class Handler(base):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes: without TCP_NODELAY, Nagle and the
            # client's delayed ACK add 40 ms to every answer on a kept-alive connection.
            disable_nagle_algorithm = True

            def _reply(self, payload: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                if self.path == "/sends":
                    sends = [
                        {
                            "token": r.target,
                            "notification_id": r.body["message"]
                            .get("data", {})
                            .get("notification_id", ""),
                        }
                        for r in fake.sends()
                    ]
                    self._reply(json.dumps(sends).encode())
                    return
                self._reply(json.dumps({"sends": len(fake.sends())}).encode())

            def do_POST(self) -> None:
                if self.path == "/upload-sink":
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    self._reply(b"{}")
                    return
                self._serve()

        return Handler


if __name__ == "__main__":
    fake = BenchFakeFCM()
    print(fake.server.server_port, flush=True)
    fake.server.serve_forever()
