"""Transport retries: the only place in the project that retries a failed request.

openai's own retries are switched off (max_retries=0) and instructor only re-asks on
invalid output, so a 429 is retried here exactly once per attempt, honouring the
server's Retry-After, within a bounded number of attempts and a bounded total time.

Both HTTP clients (the SDK's for `extract`, aiohttp for batches) take each request's
deadline from `request_deadline`: the request's own limit (`timeout_s`, the whole
request, body included), cut at the end of the model call it belongs to. A retry that
could end past that end (`total_s`) is not started.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from typing import Any, TypeVar

import openai
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception
from tenacity.wait import wait_random_exponential

from llm_extract.backends.structured import AttemptFailed, MalformedResponse
from llm_extract.core.settings import Settings

T = TypeVar("T")

_RETRYABLE = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APITimeoutError,
    openai.APIConnectionError,
)

# Monotonic time at which the model call in progress (in this thread or task) must end.
_CALL_END: ContextVar[float | None] = ContextVar("llm_extract_call_end", default=None)


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often one model call may try: read from Settings once."""

    max_retries: int
    max_wait_s: float
    timeout_s: float
    total_s: float

    @classmethod
    def of(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_retries=settings.max_transport_retries,
            max_wait_s=settings.max_retry_wait_s,
            timeout_s=settings.timeout_s,
            total_s=max(settings.max_total_s, settings.timeout_s),
        )


def request_deadline(timeout_s: float) -> float:
    """The monotonic time by which one HTTP request must be done, body read: its own
    limit, cut at the end of the call it belongs to."""
    own = time.monotonic() + timeout_s
    end = _CALL_END.get()
    return own if end is None else min(own, end)


def is_transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts, dropped connections and cut bodies are worth another try;
    4xx are not."""
    cause = exc.cause if isinstance(exc, AttemptFailed) else exc
    if isinstance(cause, (*_RETRYABLE, MalformedResponse)):
        return True
    return isinstance(cause, openai.APIStatusError) and cause.status_code in (408, 409)


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, else Retry-After), if it
    asked in a usable way: a value that is not a finite, non-negative number of seconds
    or an HTTP date is no request at all."""
    cause = exc.cause if isinstance(exc, AttemptFailed) else exc
    headers = getattr(getattr(cause, "response", None), "headers", None)
    if not headers:
        return None
    if (ms := _seconds(headers.get("retry-after-ms"))) is not None:
        return ms / 1000.0
    value = headers.get("retry-after")
    seconds = _seconds(value)
    return seconds if seconds is not None else _until(value)


def _seconds(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _until(value: str | None) -> float | None:
    """Seconds until an HTTP date (a date already past: none)."""
    try:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # "-0000": UTC by RFC 5322
        parsed = parsed.replace(tzinfo=UTC)
    return max(parsed.timestamp() - time.time(), 0.0)


class _Wait:
    """Retry-After when the server gives one, else exponential backoff with jitter."""

    def __init__(self, max_wait_s: float) -> None:
        self._backoff = wait_random_exponential(multiplier=0.5, max=min(8.0, max_wait_s))
        self._max = max_wait_s

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_s(exc) if exc else None
        return min(asked if asked is not None else self._backoff(state), self._max)


class _Budget:
    """One call's attempts and time: stops retrying when the attempts are spent or when
    one more (its wait and a full timeout) could end past the call's end."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        end = time.monotonic() + policy.total_s
        outer = _CALL_END.get()  # a call inside a call keeps the outer end
        self.end = end if outer is None else min(end, outer)
        self.attempts = 0
        self.out_of_time = False

    def stop(self, state: RetryCallState) -> bool:
        if state.attempt_number > self.policy.max_retries:
            return True
        ends = time.monotonic() + state.upcoming_sleep + self.policy.timeout_s
        self.out_of_time = ends > self.end
        return self.out_of_time

    def note(self, exc: Exception) -> None:
        """Tell the failure how many attempts were made, for its message."""
        if isinstance(exc, AttemptFailed):
            exc.attempts, exc.out_of_time = self.attempts, self.out_of_time


def _policy(
    budget: _Budget, on_failed_attempt: Callable[[BaseException], Any] | None
) -> dict[str, Any]:
    def before_sleep(state: RetryCallState) -> None:
        if on_failed_attempt and state.outcome and (exc := state.outcome.exception()):
            on_failed_attempt(exc)

    return {
        "retry": retry_if_exception(is_transient),
        "stop": budget.stop,
        "wait": _Wait(budget.policy.max_wait_s),
        "before_sleep": before_sleep,
        "reraise": True,
    }


def with_transport_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_failed_attempt: Callable[[BaseException], Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `call`, retrying transient failures within `policy`."""
    budget = _Budget(policy)
    retrying = Retrying(sleep=sleep, **_policy(budget, on_failed_attempt))

    def attempt() -> T:
        budget.attempts += 1
        return call()

    token = _CALL_END.set(budget.end)
    try:
        return retrying(attempt)
    except Exception as exc:
        budget.note(exc)
        raise
    finally:
        _CALL_END.reset(token)


async def awith_transport_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    on_failed_attempt: Callable[[BaseException], Any] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """`with_transport_retries` for coroutines: waits never block the event loop."""
    budget = _Budget(policy)
    token = _CALL_END.set(budget.end)
    try:
        return await _aretry(call, budget, on_failed_attempt, sleep)
    except Exception as exc:
        budget.note(exc)
        raise
    finally:
        _CALL_END.reset(token)


async def _aretry(
    call: Callable[[], Awaitable[T]],
    budget: _Budget,
    on_failed_attempt: Callable[[BaseException], Any] | None,
    sleep: Callable[[float], Awaitable[None]],
) -> T:
    """The first attempt runs outside tenacity, whose bookkeeping showed in a batch's CPU
    per request; only a transient failure enters it, replayed as its first attempt, so
    the waits, the count and the callbacks are tenacity's exactly."""
    budget.attempts = 1
    try:
        return await call()
    except Exception as exc:
        if budget.policy.max_retries < 1 or not is_transient(exc):
            raise
        first: Exception | None = exc
    retrying = AsyncRetrying(sleep=sleep, **_policy(budget, on_failed_attempt))

    async def attempt() -> T:  # tenacity awaits only coroutine functions, not lambdas
        nonlocal first
        if first is not None:
            failed, first = first, None
            raise failed
        budget.attempts += 1
        return await call()

    return await retrying(attempt)
