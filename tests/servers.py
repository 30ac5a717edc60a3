"""Real servers on 127.0.0.1 for channel tests: a scripted webhook receiver and SMTP."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookServer:
    """Answers by a script: "fail" (500), "hang" (sleeps past the client's timeout), "reject"
    (400), or "ok" (200); the script's last entry repeats forever."""

    script: list[str] = field(default_factory=lambda: ["ok"])
    hang_seconds: float = 3.0
    received: list[Received] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def delivered_keys(self) -> set[str]:
        """Keys of requests answered with success: what a receiver keeps after dedup."""
        return {
            r.headers.get("Idempotency-Key", "")
            for r, a in zip(self.received, self.answered, strict=False)
            if a == "ok"
        }


@contextmanager
def webhook_server(
    script: list[str] | None = None, hang_seconds: float = 3.0, port: int = 0
) -> Iterator[WebhookServer]:
    state = WebhookServer(script=script or ["ok"], hang_seconds=hang_seconds)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                n = len(state.received)
                action = state.script[min(n, len(state.script) - 1)]
                state.received.append(Received(dict(self.headers), body))
                state.answered.append(action)
            if action == "hang":
                time.sleep(state.hang_seconds)
                return  # the client has given up by now
            code = {"ok": 200, "fail": 500, "reject": 400}[action]
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    """aiosmtpd on 127.0.0.1; yields (port, raw messages received)."""
    from aiosmtpd.controller import Controller

    messages: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            messages.append(envelope.original_content)
            return "250 OK"

    port = free_port()  # aiosmtpd's start-up check cannot follow port 0
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, messages
    finally:
        controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def static_server(
    files: dict[str, bytes], content_type: str = "application/rss+xml"
) -> Iterator[str]:
    """Serve fixed bodies by path on 127.0.0.1; yields the base URL. Files can be
    replaced while it runs (the dict is read on every request)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
