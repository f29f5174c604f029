"""Transport retries and validation re-asks through the real pipeline, against a local
server that answers with recorded llama.cpp bodies and injected faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from pydantic import ValidationError

import llm_extract
from llm_extract import ExtractionResult, Settings, TransportError
from llm_extract.backends import openai_compat, retry
from llm_extract.core.records import ArticleExtraction
from llm_extract.extraction.compact import compact_model
from llm_extract.interfaces import api
from tests.conftest import CASSETTES, RECORD_MODEL, seed_text
from tests.fault_server import Drop, FaultServer, Reply, api_error, recorded_bodies

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

SECRET = "sk-test-SECRET123456"
ENDPOINT: dict[str, Any] = {
    "backend": "openai",
    "model": RECORD_MODEL,
    "compact_schema": True,
    "use_cache": False,
}


def replay_bodies(test_name: str) -> list[dict[str, Any]]:
    return recorded_bodies(CASSETTES / "test_replay" / f"{test_name}[llamacpp].yaml")


VALID = replay_bodies("test_seed_extracts_and_second_run_is_served_from_cache")[0]
INVALID = replay_bodies("test_reask_budget_is_bounded_and_failure_keeps_its_usage")[0]
ARTICLE = seed_text("001_42dbdfaf130e5adc.txt")  # the article VALID was the answer to


def run(server: FaultServer, **options: Any) -> ExtractionResult:
    return llm_extract.extract(ARTICLE, base_url=f"{server.url}/v1", **{**ENDPOINT, **options})


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Waits the retry loop asks for, recorded instead of slept.

    Patching `time.sleep` would not do: `with_transport_retries` binds it as a default.
    """
    waits: list[float] = []
    fast = partial(retry.with_transport_retries, sleep=waits.append)
    monkeypatch.setattr(openai_compat, "with_transport_retries", fast)
    yield waits


def assert_ok(result: ExtractionResult) -> None:
    assert result.status == "ok" and not result.cached
    assert result.record.incidents, "the recorded valid answer has an incident"


@pytest.mark.parametrize(
    ("headers", "expected_wait"),
    [({"Retry-After": "1"}, 1.0), ({"retry-after-ms": "250"}, 0.25)],
    ids=["retry-after", "retry-after-ms"],
)
def test_429_waits_as_asked_then_succeeds(
    headers: dict[str, str], expected_wait: float, sleeps: list[float]
) -> None:
    limited = api_error(429, "Rate limit reached", "requests", "rate_limit_exceeded")
    script = [Reply(429, limited.body, headers), Reply(200, VALID)]
    with FaultServer(script) as server:
        result = run(server)
    assert len(server.requests) == 2
    assert_ok(result)
    assert sleeps == [expected_wait]
    assert (result.usage.requests, result.usage.failed_requests) == (2, 1)


def test_5xx_are_retried_and_every_attempt_is_counted(sleeps: list[float]) -> None:
    script = [
        api_error(500, "internal error", "server_error"),
        api_error(502, "bad gateway", "server_error"),
        api_error(503, "overloaded", "server_error"),
        Reply(200, VALID),
    ]
    with FaultServer(script) as server:
        result = run(server, max_transport_retries=4)
    assert len(server.requests) == 4
    assert_ok(result)
    assert len(sleeps) == 3 and all(0 <= s <= 8 for s in sleeps), "backoff is bounded"
    first = server.requests[0].body
    assert all(r.body == first for r in server.requests), "a retry resends the same request"
    usage = VALID["usage"]
    assert (result.usage.requests, result.usage.failed_requests) == (4, 3)
    assert result.usage.prompt_tokens == usage["prompt_tokens"]
    assert result.usage.completion_tokens == usage["completion_tokens"]
    assert result.usage.total_tokens == usage["total_tokens"]


def test_persistent_503_gives_up_after_the_retry_budget(sleeps: list[float]) -> None:
    overloaded = api_error(503, "overloaded", "server_error")
    with FaultServer([overloaded]) as server, pytest.raises(TransportError) as caught:
        run(server, max_transport_retries=2)
    assert len(server.requests) == 3
    assert len(sleeps) == 2
    message = str(caught.value)
    assert "HTTP 503" in message and "after retries" in message
    assert "\n" not in message
    assert caught.value.usage.requests == caught.value.usage.failed_requests == 3


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (
            api_error(
                400,
                "This model's maximum context length is 2048 tokens. However, your "
                "messages resulted in 2301 tokens.",
                "invalid_request_error",
                "context_length_exceeded",
            ),
            "maximum context length is 2048 tokens",
        ),
        (
            api_error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_key"),
            "Incorrect API key provided",
        ),
    ],
    ids=["400-context-length", "401"],
)
def test_client_errors_are_not_retried(error: Reply, detail: str, sleeps: list[float]) -> None:
    with FaultServer([error, Reply(200, VALID)]) as server, pytest.raises(TransportError) as caught:
        run(server)
    assert len(server.requests) == 1
    assert sleeps == []
    message = str(caught.value)
    assert f"HTTP {error.status}:" in message and detail in message
    assert "after retries" not in message and "\n" not in message
    assert caught.value.usage.requests == caught.value.usage.failed_requests == 1


def test_slow_answers_time_out_and_are_retried_then_give_up(sleeps: list[float]) -> None:
    started = time.perf_counter()
    slow = Reply(200, VALID, delay_s=2.0)
    with FaultServer([slow]) as server, pytest.raises(TransportError) as caught:
        run(server, timeout_s=0.5, max_transport_retries=1)
    assert time.perf_counter() - started < 2.0, "the client gave up, not the server"
    assert len(server.requests) == 2
    assert len(sleeps) == 1
    message = str(caught.value)
    assert "timed out after 0.5s" in message and "\n" not in message
    assert caught.value.usage.requests == caught.value.usage.failed_requests == 2


def test_dropped_connection_is_retried(sleeps: list[float]) -> None:
    with FaultServer([Drop(), Reply(200, VALID)]) as server:
        result = run(server)
    assert len(server.requests) == 2
    assert_ok(result)
    assert len(sleeps) == 1
    assert (result.usage.requests, result.usage.failed_requests) == (2, 1)


def test_invalid_answer_is_reasked_not_retried(sleeps: list[float]) -> None:
    with FaultServer([Reply(200, INVALID), Reply(200, VALID)]) as server:
        result = run(server, max_validation_retries=2)
    assert len(server.requests) == 2
    assert sleeps == [], "a validation re-ask is not a transport retry"
    assert_ok(result)
    assert (result.usage.requests, result.usage.failed_requests) == (2, 1)
    for field in ("prompt_tokens", "completion_tokens", "total_tokens"):
        expected = INVALID["usage"][field] + VALID["usage"][field]
        assert getattr(result.usage, field) == expected

    # The re-ask quotes what was wrong with the first answer, as pydantic words it.
    arguments = INVALID["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    with pytest.raises(ValidationError) as invalid:
        compact_model(ArticleExtraction).model_validate_json(arguments)
    first, second = (r.body["messages"] for r in server.requests)
    assert len(second) > len(first)
    reask = json.dumps(second[len(first) :])
    assert json.dumps(invalid.value.errors()[0]["msg"])[1:-1] in reask


def test_api_key_reaches_the_server_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FaultServer([Reply(200, VALID)]) as server:
        result = run(server)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in result.model_dump_json()
    assert SECRET not in json.dumps(result.model_dump(mode="json"))

    refused = api_error(401, "Incorrect API key provided.", "invalid_request_error")
    with FaultServer([refused]) as server, pytest.raises(TransportError) as caught:
        run(server)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)

    settings = Settings(api_key=SECRET, base_url=f"{server.url}/v1", **ENDPOINT)
    assert SECRET not in str(settings) and SECRET not in repr(settings)
    assert SECRET not in settings.model_dump_json()


def test_api_key_echoed_by_the_server_is_not_repeated_in_the_error(
    monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    """Some OpenAI-compatible proxies quote the key they refused in their message."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    echo = api_error(401, f"Incorrect API key provided: {SECRET}.", "invalid_request_error")
    with FaultServer([echo]) as server, pytest.raises(TransportError) as caught:
        run(server)
    assert len(server.requests) == 1
    assert "HTTP 401" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_api_key_passed_as_an_option_is_sent_and_kept_secret(sleeps: list[float]) -> None:
    with FaultServer([Reply(200, VALID)]) as server:
        result = run(server, api_key=SECRET)
        extractor = api.get_extractor(base_url=f"{server.url}/v1", api_key=SECRET, **ENDPOINT)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in result.model_dump_json()
    assert SECRET not in repr(extractor.settings)
