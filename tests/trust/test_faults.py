"""The database going away mid-service: 503 with the error shape, and recovery when it is back.

A small TCP proxy stands between a server process and PostgreSQL; cutting it is
the outage. PostgreSQL only (SpatiaLite is a file, it does not go away).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from contributions.models import Consultation
from tests.helpers import ROOT, child_database_url

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("spatialite"), reason="PostgreSQL only"
)


class Proxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL until cut."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self) -> None:
        self.open = False
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def restore(self) -> None:
        self.open = True


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_database_outage_is_a_503_and_the_server_recovers(committed_db):
    settings = connection.settings_dict
    proxy = Proxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    url = child_database_url().replace(f":{settings['PORT'] or 5432}/", f":{proxy.port}/")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert fetch(f"{base}/api/v1/communes/")[0] == 200

        proxy.cut()
        status, body = fetch(f"{base}/api/v1/communes/")
        assert status == 503, body
        assert b'"code":"service_unavailable"' in body.replace(b" ", b"")
        assert fetch(f"{base}/healthz")[0] == 503
        # Views that are not DRF's (feeds, calendars, Open311) answer in shape too.
        slug = Consultation.objects.published().values_list("slug", flat=True).first()
        for path in (
            "/api/v1/consultations/feed.atom",
            "/api/v1/consultations/calendar.ics",
            f"/api/v1/consultations/{slug}/calendar.ics",
        ):
            status, body = fetch(f"{base}{path}")
            assert status == 503, (path, status, body[:200])
            assert b'"code":"service_unavailable"' in body.replace(b" ", b""), path
        status, body = fetch(f"{base}/open311/v2/requests.json")
        assert status == 503 and b'"code": 503' in body, body[:200]

        proxy.restore()
        statuses = [fetch(f"{base}/api/v1/communes/")[0] for _ in range(3)]
        assert statuses[-1] == 200, statuses
    finally:
        server.terminate()
        server.wait(timeout=30)
