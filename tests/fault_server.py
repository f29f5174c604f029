"""A scripted OpenAI-compatible endpoint on 127.0.0.1 for fault-injection tests.

Cassettes replay what a real server once said; they cannot say "503, then wait, then
drop the connection". This server answers POST /v1/chat/completions from a per-test
script instead, and records every request so tests can count the HTTP calls exactly.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """Answer with `status`, `headers` and `body` after `delay_s` seconds.

    A dict/list body is sent as JSON; bytes are sent verbatim (for malformed answers).
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class Drop:
    """Close the connection without any answer, after `delay_s` seconds."""

    delay_s: float = 0.0


Planned = Reply | Drop


@dataclass(frozen=True)
class Received:
    """One request as the server saw it; header names are lower-cased."""

    path: str
    headers: dict[str, str]
    body: Any


class FaultServer:
    """Context manager: `with FaultServer([Reply(503), Reply(200, body)]) as server:`.

    Planned answers are consumed in order; the last one repeats once the script runs out.
    """

    def __init__(self, script: Sequence[Planned]) -> None:
        if not script:
            raise ValueError("a script needs at least one planned answer")
        self.requests: list[Received] = []
        self._script = list(script)
        self._lock = threading.Lock()
        # Set on exit so that slow answers stop waiting instead of holding up shutdown.
        self._closing = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _answer_for(self, received: Received) -> Planned:
        with self._lock:
            self.requests.append(received)
            if received.path != CHAT_PATH:
                return Reply(404, {"error": {"message": f"no route {received.path}"}})
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]


class _HTTPServer(ThreadingHTTPServer):
    fault: FaultServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads
    timeout = 10  # a client that stops mid-request cannot hold a thread forever

    def do_POST(self) -> None:
        fault = cast(_HTTPServer, self.server).fault
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        headers = {name.lower(): value for name, value in self.headers.items()}
        planned = fault._answer_for(Received(self.path, headers, body))
        if planned.delay_s and fault._closing.wait(planned.delay_s):
            return  # the server is closing: nobody waits for this answer any more
        if isinstance(planned, Drop):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(planned)

    def _send(self, reply: Reply) -> None:
        data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and left; that is the scenario under test

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests assert on `FaultServer.requests`, not on an access log."""
