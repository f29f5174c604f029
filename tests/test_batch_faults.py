"""Every HTTP fault through the batch engine's own client (aiohttp, not the SDK's): the
same calls counted, the same outcome and message as the single-article path."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from llm_extract import BatchOptions, extract_batch
from llm_extract.backends import openai_compat, retry
from llm_extract.core.results import ExtractionResult, ItemError
from tests.fault_server import Drop, FaultServer, Planned, Reply, api_error
from tests.test_faults import ARTICLE, ENDPOINT, REFUSAL, TRUNCATED_JSON, VALID, as_refusal
from tests.test_faults import with_finish_reason as finished

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

LIMITED = api_error(429, "Rate limit reached", "requests", "rate_limit_exceeded")
CONTEXT = api_error(400, "This model's maximum context length is 8192 tokens",
                    "invalid_request_error", "context_length_exceeded")  # fmt: skip
BAD_KEY = api_error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_key")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    fast = partial(retry.awith_transport_retries, sleep=record)
    monkeypatch.setattr(openai_compat, "awith_transport_retries", fast)
    yield waits


def one(server: FaultServer, **options: Any) -> ExtractionResult | ItemError:
    settings = {**ENDPOINT, "base_url": f"{server.url}/v1", **options}
    (outcome,) = extract_batch([("a", ARTICLE)], options=BatchOptions(workers=0), **settings)
    return outcome


CASES: list[tuple[str, list[Planned], dict[str, Any], int, list[float], str | None]] = [
    # id, script, options, HTTP calls, waits, error text (None: the record comes back)
    ("429-retry-after", [Reply(429, LIMITED.body, {"Retry-After": "1"}), Reply(200, VALID)],
     {}, 2, [1.0], None),
    ("503-then-ok", [Reply(503, api_error(503, "busy", "server_error").body), Reply(200, VALID)],
     {}, 2, [], None),
    ("502-500-then-ok", [Reply(502, b"bad gateway"), Reply(500, b""), Reply(200, VALID)],
     {}, 3, [], None),
    ("dropped", [Drop(), Reply(200, VALID)], {}, 2, [], None),
    ("malformed-json", [Reply(200, TRUNCATED_JSON), Reply(200, VALID)], {}, 2, [], None),
    ("400-context", [CONTEXT, Reply(200, VALID)], {}, 1, [], "HTTP 400: This model's maximum"),
    ("401", [BAD_KEY, Reply(200, VALID)], {}, 1, [], "HTTP 401: Incorrect API key provided"),
    ("slow", [Reply(200, VALID, delay_s=2.0)], {"timeout_s": 0.5, "max_transport_retries": 1},
     2, [], "timed out after 0.5s"),
    ("length", [Reply(200, finished(VALID, "length"))], {}, 1, [], "finish_reason=length"),
    ("refusal", [Reply(200, as_refusal(VALID, REFUSAL))], {}, 1, [], "the model refused"),
]  # fmt: skip


@pytest.mark.parametrize(("script", "options", "calls", "waits", "error"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_fault_through_the_batch_client(
    script: list[Planned], options: dict[str, Any], calls: int, waits: list[float],
    error: str | None, sleeps: list[float],
) -> None:  # fmt: skip
    with FaultServer(script) as server:
        outcome = one(server, **options)
    assert len(server.requests) == calls
    assert len(sleeps) == calls - 1, "one wait before each retry, none otherwise"
    if waits:
        assert sleeps == waits
    if error is None:
        assert isinstance(outcome, ExtractionResult) and outcome.record.incidents
        assert (outcome.usage.requests, outcome.usage.failed_requests) == (calls, calls - 1)
    else:
        assert isinstance(outcome, ItemError) and error in outcome.message
        assert "\n" not in outcome.message and outcome.usage.requests == calls
