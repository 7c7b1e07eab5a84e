"""A fake FCM HTTP v1 server on 127.0.0.1 for the real firebase-admin to talk to.

It records every request and answers 200 unless told otherwise per token or topic.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def fcm_error(status: int, code: str, message: str, fcm_code: str = "") -> Reply:
    error = {"code": status, "message": message, "status": code}
    if fcm_code:
        error["details"] = [
            {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}
        ]
    return Reply(status, {"error": error})


UNREGISTERED = fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
INVALID_TOKEN = fcm_error(
    400,
    "INVALID_ARGUMENT",
    "The registration token is not a valid FCM registration token",
    "INVALID_ARGUMENT",
)
UNAVAILABLE = fcm_error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE")


def quota_exceeded(retry_after: int) -> Reply:
    reply = fcm_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED")
    reply.headers["Retry-After"] = str(retry_after)
    return reply


class _Server(ThreadingHTTPServer):
    # firebase-admin's send_each opens one connection per message, all at once: the
    # default listen backlog (5) would reset most of them.
    request_queue_size = 1024
    daemon_threads = True


@dataclass
class Request:
    method: str
    path: str
    query: dict
    body: dict | None

    @property
    def target(self) -> str:
        """The token or topic the request is about."""
        if self.body and "message" in self.body:
            message = self.body["message"]
            return message.get("token") or message.get("topic") or message.get("condition", "")
        parts = self.path.split("/")
        return urllib.parse.unquote(parts[parts.index("registrations") + 1])


class FakeFCM:
    def __init__(self, delay: float = 0.0, keep_alive: bool = False) -> None:
        self.requests: list[Request] = []
        # Requests as they arrive, before the delay (``requests`` records them after it).
        self.arrivals: list[Request] = []
        self.replies: dict[str, list[Reply]] = {}
        self.subscriptions: dict[str, set[str]] = {}
        self.delay = delay
        self.keep_alive = keep_alive
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeFCM:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, target: str, *replies: Reply) -> None:
        """The next requests about ``target`` get these replies, in order."""
        self.replies.setdefault(target, []).extend(replies)

    def sends(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("messages:send")]

    def sent_to(self, target: str) -> list[Request]:
        return [r for r in self.sends() if r.target == target]

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            queue = self.replies.get(request.target)
            reply = queue.pop(0) if queue else None
        if reply is not None:
            return reply
        if request.path.endswith("messages:send"):
            return Reply(200, {"name": f"projects/p/messages/{next(self._ids)}"})
        topic = request.query.get("topic_name", [""])[0] or request.path.rsplit("/", 1)[-1]
        with self._lock:
            members = self.subscriptions.setdefault(urllib.parse.unquote(topic), set())
            (members.add if request.method == "POST" else members.discard)(request.target)
        return Reply(200, {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Kept-alive connections, like the real FCM's, go back to the client's pool.
            protocol_version = "HTTP/1.1" if fake.keep_alive else "HTTP/1.0"
            disable_nagle_algorithm = fake.keep_alive

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parsed = urllib.parse.urlparse(self.path)
                request = Request(
                    self.command,
                    parsed.path,
                    urllib.parse.parse_qs(parsed.query),
                    json.loads(raw) if raw else None,
                )
                with fake._lock:
                    fake.arrivals.append(request)
                if fake.delay:
                    time.sleep(fake.delay)
                reply = fake._reply_for(request)
                payload = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_DELETE = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler
