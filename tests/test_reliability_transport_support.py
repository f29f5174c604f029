"""Helpers for the test_reliability_transport* modules (no tests of its own): one article
through either HTTP path, the SDK client of `extract` or the aiohttp client of
`extract_batch`, against a FaultServer, with the retry waits recorded instead of slept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest

import llm_extract
from llm_extract import BatchOptions, LLMExtractError, extract_batch
from llm_extract.backends import openai_compat, retry
from llm_extract.core.results import ExtractionResult, ItemError, Usage
from tests.fault_server import FaultServer
from tests.test_faults import ARTICLE, ENDPOINT

PATHS = ["sdk", "batch"]
"""`extract` (openai's client through httpx) and `extract_batch` (aiohttp)."""


@dataclass
class Outcome:
    """What either path gave: a result, or an error's type, one-line message and usage."""

    result: ExtractionResult | None
    error_type: str | None = None
    message: str | None = None
    usage: Usage | None = None


def record_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Both retry loops record the waits they ask for instead of sleeping them."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    sync = partial(retry.with_transport_retries, sleep=waits.append)
    monkeypatch.setattr(openai_compat, "with_transport_retries", sync)
    monkeypatch.setattr(
        openai_compat,
        "awith_transport_retries",
        partial(retry.awith_transport_retries, sleep=record),
    )
    return waits


def through(
    path: str, server: FaultServer | str, article: str = ARTICLE, **options: Any
) -> Outcome:
    """One article through `path` to `server` (or a base URL), ENDPOINT's settings."""
    base_url = server if isinstance(server, str) else f"{server.url}/v1"
    settings = {**ENDPOINT, "base_url": base_url, **options}
    if path == "sdk":
        try:
            return Outcome(llm_extract.extract(article, **settings))
        except LLMExtractError as exc:
            return Outcome(None, type(exc).__name__, str(exc), getattr(exc, "usage", None))
    (outcome,) = extract_batch([("a", article)], options=BatchOptions(workers=0), **settings)
    if isinstance(outcome, ItemError):
        return Outcome(None, outcome.error_type, outcome.message, outcome.usage)
    return Outcome(outcome)


def where(server: FaultServer) -> str:
    """How error messages name the fault server's endpoint and model."""
    return f"{server.url}/v1 (model {ENDPOINT['model']})"
