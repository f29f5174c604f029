"""Faults test_retries.py does not cover, through the real pipeline and real HTTP: a
malformed 200 body, a truncated answer, a refusal, a slow endpoint and concurrent load.

Every model answer is a recorded llama.cpp body or derived from one; none is typed here.
HTTP 400/401 (one call, not retried, the server's message kept) are covered by
test_retries.py::test_client_errors_are_not_retried.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

import llm_extract
from llm_extract import ExtractionResult, TransportError, ValidationFailure
from llm_extract.backends import openai_compat, retry
from llm_extract.core.results import ItemError
from tests.conftest import CASSETTES, RECORD_MODEL, seed_text
from tests.fault_server import (
    FaultServer,
    Received,
    Reply,
    as_refusal,
    recorded_bodies,
    with_finish_reason,
)

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

ENDPOINT: dict[str, Any] = {
    "backend": "openai",
    "model": RECORD_MODEL,
    "compact_schema": True,
    "use_cache": False,
}
VALID = recorded_bodies(
    CASSETTES / "test_replay" / "test_seed_extracts_and_second_run_is_served_from_cache"
    "[llamacpp].yaml"
)[0]
ARTICLE = seed_text("001_42dbdfaf130e5adc.txt")  # the article VALID was the answer to
# A 200 whose JSON stops mid-document, as a proxy that cuts a response short sends it.
TRUNCATED_JSON = b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": ['
REFUSAL = "I'm sorry, but I can't help with that request."


def run(server: FaultServer, **options: Any) -> ExtractionResult:
    return llm_extract.extract(ARTICLE, base_url=f"{server.url}/v1", **{**ENDPOINT, **options})


def articles(count: int) -> list[tuple[str, str]]:
    """Distinct articles (distinct cache keys and prompts), each still the seed's story."""
    return [(f"copy-{i}", f"{ARTICLE}\n\nArchive copy number {i}.") for i in range(count)]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Waits the transport retry loop asks for, recorded instead of slept."""
    waits: list[float] = []
    fast = partial(retry.with_transport_retries, sleep=waits.append)
    monkeypatch.setattr(openai_compat, "with_transport_retries", fast)
    yield waits


def test_malformed_json_is_a_transport_fault_retried_with_backoff(sleeps: list[float]) -> None:
    """A cut body is the server's fault, not the model's: transport retries, not re-asks."""
    started = time.perf_counter()
    broken = Reply(200, TRUNCATED_JSON)
    with FaultServer([broken]) as server, pytest.raises(TransportError) as caught:
        run(server, max_validation_retries=2, max_transport_retries=2)
    assert time.perf_counter() - started < 5, "fails, does not hang"
    assert len(server.requests) == 3, "one try and two transport retries; no re-asks"
    assert len(sleeps) == 2
    assert all(r.body == server.requests[0].body for r in server.requests), "no re-ask text"
    message = str(caught.value)
    assert "malformed body" in message and "\n" not in message
    assert caught.value.usage.requests == caught.value.usage.failed_requests == 3


def test_malformed_json_once_then_a_valid_answer_succeeds(sleeps: list[float]) -> None:
    with FaultServer([Reply(200, TRUNCATED_JSON), Reply(200, VALID)]) as server:
        result = run(server)
    assert len(server.requests) == 2
    assert result.status == "ok" and result.record.incidents
    assert (result.usage.requests, result.usage.failed_requests) == (2, 1)
    assert result.usage.total_tokens == VALID["usage"]["total_tokens"]


def test_truncated_answer_is_not_reasked(sleeps: list[float]) -> None:
    truncated = Reply(200, with_finish_reason(VALID, "length"))
    script = [truncated, Reply(200, VALID)]
    with FaultServer(script) as server, pytest.raises(ValidationFailure) as caught:
        run(server, max_validation_retries=2)
    assert len(server.requests) == 1, "instructor's IncompleteOutputException ends the call"
    message = str(caught.value)
    assert "token limit" in message and "finish_reason=length" in message
    usage = caught.value.usage
    assert (usage.requests, usage.failed_requests) == (1, 1)
    assert usage.total_tokens == VALID["usage"]["total_tokens"], "its tokens still count"


def test_refusal_fails_at_once_with_the_models_words(sleeps: list[float]) -> None:
    """Observed: instructor raises AssertionError for a refusal, which it does not re-ask."""
    refused = Reply(200, as_refusal(VALID, REFUSAL))
    with (
        FaultServer([refused, Reply(200, VALID)]) as server,
        pytest.raises(ValidationFailure) as caught,
    ):
        run(server, max_validation_retries=2)
    assert len(server.requests) == 1
    assert sleeps == []
    message = str(caught.value)
    assert message.startswith("the model refused:") and REFUSAL in message
    assert "\n" not in message
    assert (caught.value.usage.requests, caught.value.usage.failed_requests) == (1, 1)


def test_slow_valid_answer_is_waited_for(sleeps: list[float]) -> None:
    latency = 0.3
    started = time.perf_counter()
    with FaultServer([Reply(200, VALID, delay_s=latency)]) as server:
        result = run(server, timeout_s=5)
    elapsed = time.perf_counter() - started
    assert result.status == "ok" and result.record.incidents
    assert len(server.requests) == 1 and sleeps == []
    (seen,) = server.requests
    assert seen.finished_s is not None and seen.finished_s - seen.arrived_s >= latency
    assert elapsed >= result.duration_s >= latency


def test_batch_keeps_exactly_its_concurrency_in_flight() -> None:
    items = articles(12)
    with FaultServer(default=Reply(200, VALID, delay_s=0.2)) as server:
        outcomes = list(
            llm_extract.extract_batch(items, concurrency=3, base_url=f"{server.url}/v1", **ENDPOINT)
        )
    assert sorted(o.id for o in outcomes) == sorted(i for i, _ in items)
    assert all(o.status == "ok" for o in outcomes), [o for o in outcomes if o.status != "ok"]
    assert server.max_in_flight == 3
    assert len(server.requests) == 12
    prompts = {r.body["messages"][-1]["content"] for r in server.requests}
    assert len(prompts) == 12, "every article was asked about, none twice"


def test_a_responder_answers_each_client_on_its_own() -> None:
    """A per-request answer: the article numbered 2 is refused, the others answered."""

    def answer(request: Received) -> Reply:
        refused = "Archive copy number 2." in request.body["messages"][-1]["content"]
        return Reply(200, as_refusal(VALID, REFUSAL) if refused else VALID)

    with FaultServer(default=answer) as server:
        outcomes = {
            o.id: o
            for o in llm_extract.extract_batch(
                articles(4), concurrency=2, base_url=f"{server.url}/v1", **ENDPOINT
            )
        }
    assert len(server.requests) == 4
    failed = outcomes.pop("copy-2")
    assert isinstance(failed, ItemError) and failed.error_type == "ValidationFailure"
    assert REFUSAL in failed.message and failed.usage.requests == 1
    assert all(o.status == "ok" for o in outcomes.values())
