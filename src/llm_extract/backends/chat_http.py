"""The batch engine's HTTP path to an OpenAI-compatible endpoint: one aiohttp session
per event loop, posting the prepared chat-completions body.

Why not the SDK's async client: at 64 requests in flight, httpx's connection pool
re-checks every connection on each request and the SDK re-builds and re-parses every
message, which on one core capped the requests served below the endpoint's pace; this
path does a fraction of that work (bench/batch.py). Failures are raised as the `openai`
package's own exception types, so retries (backends/retry.py) and error messages stay
one code path shared with the synchronous client.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
import weakref
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx2
import openai
import orjson
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from llm_extract.backends.structured import MalformedResponse

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

    def __init__(self, url: str, headers: dict[str, str], timeout_s: float) -> None:
        self.url = url
        self._headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            **headers,
        }
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._proxy = _env_proxy(url)
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
                timeout=self._timeout,
            )
            self._sessions[loop] = session
        return session

    async def post(self, **body: Any) -> ChatCompletion:
        session = self._open()
        # Tool schema, prompt and article, tens of KB: orjson encodes it several times
        # faster than the standard library.
        data = orjson.dumps(body)
        try:
            async with session.post(self.url, data=data, proxy=self._proxy) as response:
                content = await response.read()
                status, headers = response.status, response.headers
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise openai.APITimeoutError(request=self._request()) from None
        except aiohttp.ClientError as exc:  # refused, dropped, cut mid-body
            raise openai.APIConnectionError(
                message=f"Connection error: {type(exc).__name__}", request=self._request()
            ) from None
        if status >= 400:
            raise self._status_error(status, dict(headers), content)
        return _completion(content)

    def _request(self) -> httpx2.Request:
        return httpx2.Request("POST", self.url)

    def _status_error(
        self, status: int, headers: dict[str, str], content: bytes
    ) -> openai.APIStatusError:
        """The exception the SDK raises for this status, with the body it would carry."""
        text = content.decode("utf-8", errors="replace").strip()
        body: Any = text
        try:
            body = json.loads(text)
            message = f"Error code: {status} - {body}"
        except ValueError:
            message = text or f"Error code: {status}"
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


def _env_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, NO_PROXY), as the
    synchronous client honours it. Read once: aiohttp's trust_env would look it up, and
    read ~/.netrc, in a worker thread on every request."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _completion(content: bytes) -> ChatCompletion:
    """Strict parsing first (fast, in Rust); servers that leave out fields the SDK
    tolerates fall back to the SDK's lenient construction."""
    try:
        return ChatCompletion.model_validate_json(content)
    except ValidationError:
        pass
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise MalformedResponse(
            f"answered with a malformed body ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(data, dict):
        raise MalformedResponse("answered with a body that is not a JSON object")
    return ChatCompletion.construct(**data)
