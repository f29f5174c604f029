"""The SDK client's transport, guarded as the batch's client is (chat_http.py).

httpx's timeouts are per socket operation, so a server that trickles its bytes, headers
or body, never trips them. Here every operation of a request (connect, TLS,
each write and read) gets at most the time left before the request's deadline, set by
`within` around each request (retry.request_deadline says when). Bodies go through
replies.BodyReader: capped while they are read and decoded, the rest never read.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

import httpcore2
import httpx2
import openai

from llm_extract.backends.replies import ACCEPT_ENCODING, BodyReader, ResponseTooLarge
from llm_extract.backends.structured import MalformedResponse

_DEADLINE: ContextVar[float | None] = ContextVar("llm_extract_request_deadline", default=None)


@contextmanager
def within(deadline: float) -> Iterator[None]:
    """Requests made inside end by `deadline` (time.monotonic), or time out."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _left(timeout: float | None, kind: type[httpcore2.TimeoutException]) -> float | None:
    """`timeout`, cut to the time left before the deadline; raises `kind` once it passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise kind("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    def __init__(self, backend: httpcore2.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, left, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _CappedStream(httpx2.SyncByteStream):
    def __init__(self, stream: httpx2.SyncByteStream, reader: BodyReader) -> None:
        self._stream, self._reader = stream, reader

    def __iter__(self) -> Iterator[bytes]:
        for raw in self._stream:
            if piece := self._reader.feed(raw):
                yield piece
            if self._reader.done:  # closing unread drops the connection, not the pool
                return
        if tail := self._reader.flush():
            yield tail

    def close(self) -> None:
        self._stream.close()


class GuardedTransport(httpx2.HTTPTransport):
    """httpx's own transport with the deadline in every socket operation and the cap on
    every body."""

    def __init__(self, *, proxy: str | None, max_response_bytes: int) -> None:
        super().__init__(verify=_tls_context(), proxy=proxy)
        # httpx builds its pool without a way to pass a network backend; the pool (a
        # proxy's too) opens every connection through this attribute.
        pool: Any = self._pool
        pool._network_backend = _DeadlineBackend(pool._network_backend)
        self._cap = max_response_bytes

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING
        response = super().handle_request(request)
        headers = response.headers
        try:
            reader = BodyReader(response.status_code, headers.get("content-encoding"), self._cap)
            reader.check_length(headers.get("content-length"))
        except Exception:
            response.close()
            raise
        if reader.decodes:  # decoded by the reader, within the cap; httpx must not again
            del headers["content-encoding"]
        response.stream = _CappedStream(response.stream, reader)
        return response


def unwrapped(exc: openai.APIConnectionError) -> Exception:
    """The SDK reports any exception of the transport as a connection error; the
    reader's own verdicts are not that."""
    cause = exc.__cause__
    return cause if isinstance(cause, (ResponseTooLarge, MalformedResponse)) else exc


def http_client(*, proxy: str | None, max_response_bytes: int) -> httpx2.Client:
    """The client the SDK sends through (its defaults otherwise)."""
    transport = GuardedTransport(proxy=proxy, max_response_bytes=max_response_bytes)
    return openai.DefaultHttpxClient(transport=transport)


@cache
def _tls_context() -> ssl.SSLContext:
    """The SDK's default TLS settings, built once per process: loading the CA bundle
    at every backend's creation, i.e. at every batch, showed in short batches."""
    return httpx2.create_ssl_context()
