"""Transport retries: the only place in the project that retries a failed request.

openai's own retries are switched off (max_retries=0) and instructor only re-asks on
invalid output, so a 429 is retried here exactly once per attempt, honouring the
server's Retry-After, within a bounded number of attempts and a bounded total wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)
from tenacity.wait import wait_random_exponential

from llm_extract.backends.structured import AttemptFailed, MalformedResponse

T = TypeVar("T")

_RETRYABLE = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APITimeoutError,
    openai.APIConnectionError,
)


def is_transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts, dropped connections and cut bodies are worth another try;
    4xx are not."""
    cause = exc.cause if isinstance(exc, AttemptFailed) else exc
    if isinstance(cause, (*_RETRYABLE, MalformedResponse)):
        return True
    return isinstance(cause, openai.APIStatusError) and cause.status_code in (408, 409)


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it did."""
    cause = exc.cause if isinstance(exc, AttemptFailed) else exc
    response = getattr(cause, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


class _Wait:
    """Retry-After when the server gives one, else exponential backoff with jitter."""

    def __init__(self, max_wait_s: float) -> None:
        self._backoff = wait_random_exponential(multiplier=0.5, max=min(8.0, max_wait_s))
        self._max = max_wait_s

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_s(exc) if exc else None
        return min(asked if asked is not None else self._backoff(state), self._max)


def _policy(
    max_retries: int, max_wait_s: float, on_failed_attempt: Callable[[BaseException], Any] | None
) -> dict[str, Any]:
    def before_sleep(state: RetryCallState) -> None:
        if on_failed_attempt and state.outcome and (exc := state.outcome.exception()):
            on_failed_attempt(exc)

    return {
        "retry": retry_if_exception(is_transient),
        "stop": stop_after_attempt(max_retries + 1),
        "wait": _Wait(max_wait_s),
        "before_sleep": before_sleep,
        "reraise": True,
    }


def with_transport_retries(
    call: Callable[[], T],
    *,
    max_retries: int,
    max_wait_s: float,
    on_failed_attempt: Callable[[BaseException], Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `call`, retrying transient failures at most `max_retries` times."""
    retrying = Retrying(sleep=sleep, **_policy(max_retries, max_wait_s, on_failed_attempt))
    return retrying(call)


async def awith_transport_retries(
    call: Callable[[], Awaitable[T]],
    *,
    max_retries: int,
    max_wait_s: float,
    on_failed_attempt: Callable[[BaseException], Any] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """`with_transport_retries` for coroutines: waits never block the event loop.

    The first attempt runs outside tenacity, whose bookkeeping showed in a batch's CPU
    per request; only a transient failure enters it, replayed as its first attempt, so
    the waits, the count and the callbacks are tenacity's exactly."""
    try:
        return await call()
    except Exception as exc:
        if max_retries < 1 or not is_transient(exc):
            raise
        first: Exception | None = exc
    retrying = AsyncRetrying(sleep=sleep, **_policy(max_retries, max_wait_s, on_failed_attempt))

    async def attempt() -> T:  # tenacity awaits only coroutine functions, not lambdas
        nonlocal first
        if first is not None:
            failed, first = first, None
            raise failed
        return await call()

    return await retrying(attempt)
