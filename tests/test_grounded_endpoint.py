"""The grounded strategy through the openai backend: every question a forced tool call
whose arguments the server constrains to the answer's JSON schema.

The cassette was recorded against llama.cpp's OpenAI-compatible server (its forced tool
calls are grammar-constrained); the fault tests script a local endpoint whose answers are
derived from that recording, never typed by hand."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from llm_extract import ConfigError, TransportError, ValidationFailure, extract_file
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from tests.conftest import CASSETTES, RECORD_BASE_URL, RECORD_MODEL
from tests.doubles import CountingBackend
from tests.fault_server import FaultServer, Received, Reply, api_error, recorded_bodies

# Only the cassette test replays (and is re-recorded); the others script a local server.
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

# Two incidents whose cue words and dates leave the model three choices to make.
SEED = Path(__file__).parent / "articles" / "two_incidents.txt"
GROUNDED: dict[str, Any] = {"backend": "openai", "model": RECORD_MODEL, "strategy": "grounded"}
RECORDED = CASSETTES / "test_grounded_endpoint" / "test_grounded_extraction_replays.yaml"


def http_calls(vcr: Any) -> int:
    """Requests that went to the model: replayed ones, or recorded ones while recording."""
    return vcr.play_count if vcr.record_mode == "none" else len(vcr.data)


def recorded_usage(vcr: Any) -> list[dict[str, int]]:
    return [json.loads(r["body"]["string"])["usage"] for r in vcr.responses]


@pytest.mark.cassette
@pytest.mark.vcr
def test_grounded_extraction_replays(vcr: Any, tmp_path: Path) -> None:
    first = extract_file(SEED, base_url=RECORD_BASE_URL, cache_dir=tmp_path, **GROUNDED)
    assert not first.cached
    assert first.provenance.mode == "grounded" and first.provenance.backend == "openai"
    (incident, *_) = first.record.incidents
    assert incident.locations and incident.counts

    # Every count and place is supported: the model only chose among the article's own.
    verdicts = {v.path: v.verdict for v in first.verification.verdicts}
    for i, incident in enumerate(first.record.incidents):
        for j in range(len(incident.counts)):
            assert verdicts[f"incidents[{i}].counts[{j}]"] == "supported"
        for j in range(len(incident.locations)):
            assert verdicts[f"incidents[{i}].locations[{j}].name"] == "supported"
    assert first.verification.summary.unsupported == 0

    # One forced tool call per question, each constrained to a schema of its own.
    calls = http_calls(vcr)
    assert calls >= 3
    for request in vcr.requests:
        body = json.loads(request.body)
        assert body["tool_choice"] == {"type": "function", "function": {"name": "Answer"}}
        assert body["tools"][0]["function"]["parameters"]["additionalProperties"] is False
    usage = recorded_usage(vcr)
    assert (first.usage.requests, first.usage.failed_requests) == (calls, 0)
    assert first.usage.prompt_tokens == sum(u["prompt_tokens"] for u in usage) > 0
    assert first.usage.completion_tokens == sum(u["completion_tokens"] for u in usage)
    assert first.usage.total_tokens == sum(u["total_tokens"] for u in usage)

    second = extract_file(SEED, base_url=RECORD_BASE_URL, cache_dir=tmp_path, **GROUNDED)
    assert second.cached
    assert http_calls(vcr) == calls, "a cache hit must not call the model"
    assert second.usage.total_tokens == second.usage.requests == 0
    assert second.record == first.record
    assert second.provenance.cache_key == first.provenance.cache_key


# Scripted endpoints, answering with the recorded bodies' structure.


def _template() -> dict[str, Any]:
    return recorded_bodies(RECORDED)[0]


def answer_with(arguments: str, completion_tokens: int | None = None) -> Reply:
    """The recorded answer with other tool-call arguments (and completion tokens)."""
    body = copy.deepcopy(_template())
    body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = arguments
    if completion_tokens is not None:
        body["usage"]["completion_tokens"] = completion_tokens
        body["usage"]["total_tokens"] = body["usage"]["prompt_tokens"] + completion_tokens
    return Reply(200, body)


def first_option(received: Received) -> Reply:
    """What a constraining server could answer: the first value the schema allows."""
    schema = received.body["tools"][0]["function"]["parameters"]["properties"]["answer"]
    value = schema["enum"][0] if "enum" in schema else [schema["items"]["enum"][0]]
    return answer_with(json.dumps({"answer": value}))


def run(server: FaultServer, **options: Any) -> Any:
    settings = {**GROUNDED, "use_cache": False, "max_transport_retries": 0, **options}
    return extract_file(SEED, base_url=f"{server.url}/v1", **settings)


def test_an_endpoint_that_does_not_constrain_is_refused_in_one_line() -> None:
    unconstrained = answer_with(json.dumps({"answer": "Paris"}))
    with FaultServer(default=unconstrained) as server, pytest.raises(ValidationFailure) as caught:
        run(server, max_validation_retries=2)
    assert len(server.requests) == 3, "the first question: one try and two re-asks"
    message = str(caught.value)
    assert "--strategy whole" in message and "\n" not in message
    usage = caught.value.usage
    assert usage.requests == usage.failed_requests == 3
    assert usage.total_tokens == 3 * _template()["usage"]["total_tokens"]


def test_a_transport_failure_keeps_the_usage_of_the_questions_before_it() -> None:
    answered = itertools.count()

    def third_refused(received: Received) -> Reply:
        if next(answered) < 2:
            return first_option(received)
        return api_error(400, "the request exceeds the context", "invalid_request_error")

    with FaultServer(default=third_refused) as server, pytest.raises(TransportError) as caught:
        run(server, max_transport_retries=2)
    assert len(server.requests) == 3, "a 400 is not retried and ends the job"
    assert "HTTP 400" in str(caught.value)
    usage = caught.value.usage
    assert (usage.requests, usage.failed_requests) == (3, 1)
    assert usage.total_tokens == 2 * _template()["usage"]["total_tokens"]


def test_a_cut_off_answer_is_no_answer_and_not_reasked() -> None:
    """llama.cpp's server calls a forced tool call cut off by max_tokens "tool_calls"."""

    def places_cut_off(received: Received) -> Reply:
        question = received.body["messages"][-1]["content"]
        if question.endswith("Which places were attacked?"):
            limit = received.body["max_tokens"]
            return answer_with('{"answer": ["Dib', completion_tokens=limit)
        return first_option(received)

    with FaultServer(default=first_option) as server:
        whole = run(server)
        asked = len(server.requests)
    with FaultServer(default=places_cut_off) as server:
        cut = run(server, max_validation_retries=2)
    assert len(server.requests) == asked, "the cut-off question is asked once"
    assert cut.record.incidents
    assert [p.name for p in cut.record.incidents[0].locations] == [
        p.name for p in whole.record.incidents[0].locations
    ], "no answer: the first place and its list"
    assert cut.usage.requests == asked


def test_grounded_needs_a_backend_that_constrains_answers() -> None:
    backend = CountingBackend()
    extractor = Extractor(Settings(strategy="grounded", use_cache=False), backend=backend)
    with pytest.raises(ConfigError, match="--strategy whole"):
        extractor.extract(SEED.read_text(encoding="utf-8"))
    assert backend.calls == []
