"""A real local SMTP server (aiosmtpd) and a local HTTP stub of an SMS gateway, for the notification tests."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def bodies(self, to: str) -> list[str]:
        return [m.get_body().get_content() for m in self.messages if m["To"] == to]  # type: ignore[union-attr]


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def sms_gateway(fail: bool = False) -> Iterator[tuple[list[dict[str, Any]], str]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            received.append(
                {"body": json.loads(self.rfile.read(length)), "auth": self.headers.get("Authorization")}
            )
            self.send_response(503 if fail else 200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://key:s3cret@127.0.0.1:{server.server_address[1]}/send"
    finally:
        server.shutdown()
        server.server_close()


def use_settings(monkeypatch: Any, **env: str) -> None:
    """Configure channels for one test (MINYI_<NAME> variables), dropping the cached settings."""
    from minyi.settings import get_settings

    for name, value in env.items():
        monkeypatch.setenv(f"MINYI_{name.upper()}", value)
    get_settings.cache_clear()
