"""Rate limits and budgets for batches against paid or shared endpoints."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from llm_extract.core.results import Usage

# USD per million tokens (input, output), for the cost estimate only. Unknown models and
# local ones cost nothing unless the caller gives prices.
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


BATCH_PRICE_FACTOR = 0.5
"""OpenAI's Batch API charges half the live price for the same tokens."""


def live_prices(model: str, given: tuple[float, float] | None = None) -> tuple[float, float]:
    """USD per million tokens (in, out) for `model` asked live: `given`, else the table."""
    return given or PRICES_PER_MILLION.get(model, (0.0, 0.0))


def batch_prices(model: str, given: tuple[float, float] | None = None) -> tuple[float, float]:
    """The same tokens answered through the Batch API (`given` is a live price too)."""
    price_in, price_out = live_prices(model, given)
    return price_in * BATCH_PRICE_FACTOR, price_out * BATCH_PRICE_FACTOR


def cost_of(usage: Usage, prices: tuple[float, float]) -> float:
    price_in, price_out = prices
    return (usage.prompt_tokens * price_in + usage.completion_tokens * price_out) / 1_000_000


class RateLimiter:
    """Requests per minute and tokens per minute, as two token buckets.

    A request waits until both buckets hold enough; its token estimate is settled
    against the real usage afterwards, so the tokens-per-minute rate stays honest.
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rpm = requests_per_minute
        self.tpm = tokens_per_minute
        self._clock = clock
        self._requests = float(requests_per_minute or 0)  # start full: no initial wait
        self._tokens = float(tokens_per_minute or 0)
        self._last = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = now - self._last
        self._last = now
        if self.rpm:
            self._requests = min(self.rpm, self._requests + elapsed * self.rpm / 60)
        if self.tpm:
            self._tokens = min(self.tpm, self._tokens + elapsed * self.tpm / 60)

    def wait_time(self, tokens: int) -> float:
        """Seconds until a request estimated at `tokens` may start (0 if now)."""
        self._refill()
        waits = [0.0]
        if self.rpm and self._requests < 1:
            waits.append((1 - self._requests) * 60 / self.rpm)
        if self.tpm:
            needed = min(tokens, self.tpm)  # one request larger than the bucket still runs
            if self._tokens < needed:
                waits.append((needed - self._tokens) * 60 / self.tpm)
        return max(waits)

    async def acquire(self, tokens: int) -> None:
        if not (self.rpm or self.tpm):
            return
        async with self._lock:  # first come, first served
            while (delay := self.wait_time(tokens)) > 0:
                await asyncio.sleep(delay)
            if self.rpm:
                self._requests -= 1
            if self.tpm:
                self._tokens -= tokens

    def settle(self, estimated: int, actual: int) -> None:
        if self.tpm:
            self._tokens += estimated - actual


@dataclass
class Budget:
    """Stops new work once tokens or estimated cost reach their cap."""

    max_tokens: int | None = None
    max_cost: float | None = None
    prices: tuple[float, float] = (0.0, 0.0)
    usage: Usage | None = None

    def __post_init__(self) -> None:
        self.usage = self.usage or Usage()

    def spend(self, usage: Usage) -> None:
        assert self.usage is not None
        self.usage = self.usage + usage

    @property
    def cost(self) -> float:
        assert self.usage is not None
        return cost_of(self.usage, self.prices)

    def exhausted(self) -> str | None:
        """Why no new request may start, or None."""
        assert self.usage is not None
        if self.max_tokens is not None and self.usage.total_tokens >= self.max_tokens:
            return f"token budget reached ({self.usage.total_tokens:,} of {self.max_tokens:,})"
        if self.max_cost is not None and self.cost >= self.max_cost:
            return f"cost budget reached (${self.cost:.4f} of ${self.max_cost:.4f})"
        return None
