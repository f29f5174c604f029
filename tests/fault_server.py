"""A scripted OpenAI-compatible endpoint on 127.0.0.1 for fault-injection tests.

Cassettes replay what a real server once said; they cannot say "503, then wait, then
drop the connection". This server answers POST /v1/chat/completions from a per-test
script instead, and records every request so tests can count the HTTP calls exactly.
Fault answers are derived from recorded bodies (`with_finish_reason`, `as_refusal`),
never typed by hand, so they stay what a real server would send.
"""

from __future__ import annotations

import contextlib
import copy
import http
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import yaml

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """Answer with `status`, `headers` and `body` after `delay_s` seconds (the latency).

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


@dataclass(frozen=True)
class Written:
    """`reply` written byte for byte by this module rather than by http.server, so that
    the subclasses below can make its bytes misbehave (slow, huge). Its own Content-Type
    header is kept (default JSON); the connection closes after it, and
    `Received.sent_bytes` counts the body bytes the client let the server send."""

    reply: Reply
    delay_s: float = 0.0

    def payload(self) -> bytes:
        body = self.reply.body
        return body if isinstance(body, bytes) else json.dumps(body).encode()

    def pieces(self) -> Iterator[bytes]:
        """The body as written, piece by piece."""
        yield self.payload()

    def length(self) -> int | None:
        """Content-Length to announce; None sends the body chunked."""
        return len(self.payload())

    def pause_s(self) -> float:
        return 0.0

    def head(self) -> bytes:
        status = self.reply.status
        lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
        headers = {"Content-Type": "application/json", **self.reply.headers}
        length = self.length()
        if length is None:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(length)
        headers["Connection"] = "close"
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def write(
        self, handler: BaseHTTPRequestHandler, received: Received, closing: threading.Event
    ) -> None:
        handler.close_connection = True
        chunked = self.length() is None
        try:
            self._write_head(handler, closing)
            for piece in self.pieces():
                if closing.is_set():
                    return
                framed = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
                handler.wfile.write(framed)
                received.sent_bytes += len(piece)
                if self.pause_s() and closing.wait(self.pause_s()):
                    return
            if chunked:
                handler.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client hung up (or stopped reading): what tests look for
            return

    def _write_head(self, handler: BaseHTTPRequestHandler, closing: threading.Event) -> None:
        handler.wfile.write(self.head())


@dataclass(frozen=True)
class Trickle(Written):
    """`reply` with its body sent one byte every `interval_s` (and with `slow_headers`,
    its status line and headers too, as a slowloris server does)."""

    interval_s: float = 0.1
    slow_headers: bool = False

    def pieces(self) -> Iterator[bytes]:
        payload = self.payload()
        for i in range(len(payload)):
            yield payload[i : i + 1]

    def pause_s(self) -> float:
        return self.interval_s

    def _write_head(self, handler: BaseHTTPRequestHandler, closing: threading.Event) -> None:
        if not self.slow_headers:
            return super()._write_head(handler, closing)
        for byte in self.head():
            handler.wfile.write(bytes([byte]))
            if closing.wait(self.interval_s):
                return


FLOOD_PIECE = 64 * 1024


@dataclass(frozen=True)
class Flood(Written):
    """`reply`'s body followed by JSON whitespace up to `pad_to` bytes (the same JSON to a
    parser, however large), chunked or with its Content-Length."""

    pad_to: int = 64 * 1024 * 1024
    chunked: bool = True

    def length(self) -> int | None:
        return None if self.chunked else max(self.pad_to, len(self.payload()))

    def pieces(self) -> Iterator[bytes]:
        payload = self.payload()
        yield payload
        left = self.pad_to - len(payload)
        padding = b" " * FLOOD_PIECE
        while left > 0:
            yield padding[:left]
            left -= FLOOD_PIECE


Planned = Reply | Drop | Written


@dataclass
class Received:
    """One request as the server saw it; header names are lower-cased.

    Times are `time.perf_counter()` values, comparable with a test's own measurements;
    `finished_s` stays None for a request still in flight or abandoned at shutdown.
    """

    path: str
    headers: dict[str, str]
    body: Any
    arrived_s: float = 0.0
    finished_s: float | None = None
    sent_bytes: int = 0  # body bytes of a `Written` answer the server could send


Responder = Callable[[Received], Planned]


def recorded_bodies(cassette: Path) -> list[dict[str, Any]]:
    """The response bodies of a recorded cassette, in order: real model answers."""
    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    return [json.loads(i["response"]["body"]["string"]) for i in data["interactions"]]


def api_error(status: int, message: str, kind: str, code: str | None = None) -> Reply:
    """An error in the OpenAI error format (not a model answer)."""
    return Reply(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})


def with_finish_reason(body: dict[str, Any], reason: str) -> dict[str, Any]:
    """A copy of a recorded answer that claims every choice stopped for `reason`."""
    changed = copy.deepcopy(body)
    for choice in changed["choices"]:
        choice["finish_reason"] = reason
    return changed


def as_refusal(body: dict[str, Any], text: str) -> dict[str, Any]:
    """A copy of a recorded answer whose assistant refused: no tool call, no content."""
    changed = copy.deepcopy(body)
    for choice in changed["choices"]:
        choice["message"] = {"role": "assistant", "content": None, "refusal": text}
        choice["finish_reason"] = "stop"
    return changed


class FaultServer:
    """Context manager: `with FaultServer([Reply(503), Reply(200, body)]) as server:`.

    Planned answers are consumed in order. Once the script runs out, `default` answers
    every request (a fixed Reply, or a function of the request); without it the last
    scripted answer repeats. Connections are kept alive like a real server's, so that
    openai's pooled client behaves as in production; exit closes them all.
    """

    def __init__(
        self, script: Sequence[Planned] = (), *, default: Planned | Responder | None = None
    ) -> None:
        if not script and default is None:
            raise ValueError("a script needs at least one planned answer, or a default")
        self.max_in_flight = 0
        self._log: list[Received] = []
        self._script = list(script)
        self._default = default
        self._in_flight = 0
        self._lock = threading.Lock()
        # Set on exit so that slow answers stop waiting instead of holding up shutdown.
        self._closing = threading.Event()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Received]:
        """A snapshot of every request so far, in arrival order."""
        with self._lock:
            return list(self._log)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        with self._lock:
            open_connections = list(self._connections.items())
        # Idle keep-alive handlers block reading the next request: wake them by closing.
        for conn, handler in open_connections:
            _hang_up(conn)
            handler.join(timeout=5)

    def _opened(self, conn: socket.socket) -> None:
        with self._lock:
            if self._closing.is_set():  # accepted during exit, after the sweep of __exit__
                _hang_up(conn)
            self._connections[conn] = threading.current_thread()

    def _closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.pop(conn, None)

    def _begin(self, received: Received) -> Planned:
        with self._lock:
            self._log.append(received)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if received.path != CHAT_PATH:
                return Reply(404, {"error": {"message": f"no route {received.path}"}})
            if len(self._script) > 1 or (self._script and self._default is not None):
                return self._script.pop(0)
            planned = self._script[0] if self._script else self._default
        # Outside the lock: a responder may be slow, and requests must not queue on it.
        return planned(received) if callable(planned) else cast(Planned, planned)

    def _end(self, received: Received) -> None:
        with self._lock:
            self._in_flight -= 1
            received.finished_s = time.perf_counter()


def _hang_up(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the client may have closed it already
        conn.shutdown(socket.SHUT_RDWR)


class _HTTPServer(ThreadingHTTPServer):
    fault: FaultServer
    request_queue_size = 128  # 64 clients connecting at once must not wait for a SYN retry

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (killed, timed out) is expected here, not a server bug."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the openai client's pool expects
    disable_nagle_algorithm = True  # else small replies wait ~40 ms for a delayed ACK
    timeout = 10  # a client that stops mid-request cannot hold a thread forever

    def setup(self) -> None:
        super().setup()
        cast(_HTTPServer, self.server).fault._opened(self.connection)

    def finish(self) -> None:
        cast(_HTTPServer, self.server).fault._closed(self.connection)
        super().finish()

    def do_POST(self) -> None:
        fault = cast(_HTTPServer, self.server).fault
        arrived = time.perf_counter()
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        headers = {name.lower(): value for name, value in self.headers.items()}
        received = Received(self.path, headers, body, arrived)
        try:
            planned = fault._begin(received)
            if planned.delay_s and fault._closing.wait(planned.delay_s):
                self.close_connection = True
                return  # the server is closing: nobody waits for this answer any more
            if isinstance(planned, Drop):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if isinstance(planned, Written):
                planned.write(self, received, fault._closing)
                return
            self._send(planned)
        finally:
            fault._end(received)

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
            self.close_connection = True  # the client timed out and left: the test's scenario

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests assert on `FaultServer.requests`, not on an access log."""
