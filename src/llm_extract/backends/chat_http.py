"""The batch engine's HTTP path to an OpenAI-compatible endpoint: one aiohttp session
per event loop, posting the prepared chat-completions body.

Why not the SDK's async client: at 64 requests in flight, httpx's connection pool
re-checks every connection on each request and the SDK re-builds and re-parses every
message, which on one core capped the requests served below the endpoint's pace; this
path does a fraction of that work (bench/batch.py). Failures are raised as the `openai`
package's own exception types, so retries (backends/retry.py) and error messages stay
one code path shared with the synchronous client; so are its limits: each request's
deadline from retry.request_deadline, bodies read through replies.BodyReader.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import weakref
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx2
import openai
import orjson
from openai.types.chat import ChatCompletion

from llm_extract.backends.credentials import basic_auth, userinfo, without_userinfo
from llm_extract.backends.replies import (
    ACCEPT_ENCODING,
    BodyReader,
    completion_from,
    excerpt,
)
from llm_extract.backends.retry import request_deadline

_BODY_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
_STATUS_ERRORS: dict[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}


class ChatHTTP:
    """POST /chat/completions; the session is opened on first use in a loop and must be
    closed (`aclose`) before that loop ends."""

    def __init__(
        self, url: str, headers: dict[str, str], *, timeout_s: float, max_response_bytes: int
    ) -> None:
        self._headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            **headers,
        }
        if credentials := userinfo(url):  # as httpx sends them: Basic auth, not the key
            self._headers["Authorization"] = basic_auth(*credentials)
        self.url = without_userinfo(url)
        self._timeout_s, self._cap = timeout_s, max_response_bytes
        self._proxy = env_proxy(url)
        # A session belongs to the loop it was opened in; batches may run in several.
        self._sessions: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, aiohttp.ClientSession
        ] = weakref.WeakKeyDictionary()

    def _open(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),  # the batch bounds what is in flight
                headers=self._headers,
                auto_decompress=False,  # BodyReader decodes, within the cap
            )
            self._sessions[loop] = session
        return session

    async def post(self, **body: Any) -> ChatCompletion:
        session = self._open()
        # Tool schema, prompt and article, tens of KB: orjson encodes it several times
        # faster than the standard library.
        data = orjson.dumps(body)
        left = request_deadline(self._timeout_s) - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            timeout = aiohttp.ClientTimeout(total=left)  # the whole request, body included
            async with session.post(
                self.url, data=data, proxy=self._proxy, timeout=timeout
            ) as response:
                content = await self._read(response)
                status, headers = response.status, response.headers
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise openai.APITimeoutError(request=self._request()) from None
        except aiohttp.ClientError as exc:  # refused, dropped, cut mid-body
            raise openai.APIConnectionError(
                message=f"Connection error: {type(exc).__name__}", request=self._request()
            ) from None
        if status >= 400:  # `content` is decoded (and maybe cut): headers must not say otherwise
            plain = {k: v for k, v in headers.items() if k.lower() not in _BODY_HEADERS}
            raise self._status_error(status, plain, content)
        return completion_from(status, content, headers.get("Content-Type"))

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        """The body through BodyReader; a body not read to its end closes the connection."""
        headers = response.headers
        length = headers.get("Content-Length")
        try:
            reader = BodyReader(response.status, headers.get("Content-Encoding"), self._cap)
            reader.check_length(length)
            if reader.fits(length):  # the common case: one read, no copy
                return await response.read()
            parts = []
            async for raw in response.content.iter_any():
                parts.append(reader.feed(raw))
                if reader.done:
                    response.close()
                    return b"".join(parts)
            parts.append(reader.flush())
        except Exception:
            response.close()
            raise
        return b"".join(parts)

    def _request(self) -> httpx2.Request:
        return httpx2.Request("POST", self.url)

    def _status_error(
        self, status: int, headers: dict[str, str], content: bytes
    ) -> openai.APIStatusError:
        """The exception the SDK raises for this status, with the body it would carry
        (at most ERROR_BODY_LIMIT of it) and a message of an excerpt only."""
        text = content.decode("utf-8", errors="replace").strip()
        body: Any = text
        try:
            body = json.loads(text)
            message = f"Error code: {status} - {excerpt(str(body))}"
        except ValueError:
            message = excerpt(text) or f"Error code: {status}"
        if isinstance(body, dict):
            body = body.get("error", body)
        response = httpx2.Response(
            status, headers=headers, content=content, request=self._request()
        )
        kind = _STATUS_ERRORS.get(
            status, openai.InternalServerError if status >= 500 else openai.APIStatusError
        )
        return kind(message, response=response, body=body)

    async def aclose(self) -> None:
        """Close this loop's session (its connections die with the loop otherwise)."""
        session = self._sessions.pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.close()


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, NO_PROXY), as the
    synchronous client honours it. Read once: aiohttp's trust_env would look it up, and
    read ~/.netrc, in a worker thread on every request."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)
