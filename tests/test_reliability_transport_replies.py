"""Answers that are not what a chat endpoint promises, the same on both HTTP paths: a
Retry-After that is not a usable number of seconds is no Retry-After at all, and a 200
that is not a chat completion is a transport fault with one line saying which."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS
from tests.fault_server import FaultServer, Reply, Written, api_error
from tests.test_faults import ENDPOINT, TRUNCATED_JSON, VALID
from tests.test_reliability_transport_support import PATHS, record_waits, through, where

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

LIMITED = api_error(429, "Rate limit reached", "requests", "rate_limit_exceeded").body
FIRST_BACKOFF = 0.5  # the first exponential backoff wait is drawn from [0, 0.5]
PAGE = b"<!DOCTYPE html>\n<html><body><h1>Sign in to the Wi-Fi</h1></body></html>\n"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-inf", "-5", "1e999", ""])
@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("path", PATHS)
def test_an_unusable_retry_after_means_the_backoff(
    path: str, status: int, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_waits(monkeypatch)
    script = [Reply(status, LIMITED, {"Retry-After": value}), Reply(200, VALID)]
    with FaultServer(script) as server:
        outcome = through(path, server)
    assert outcome.result is not None, outcome.message
    assert len(server.requests) == 2
    assert len(waits) == 1 and 0 <= waits[0] <= FIRST_BACKOFF


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "nan", "Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date long past
        ({"Retry-After": "3"}, 3.0),
    ],
    ids=["bad-ms-falls-back-to-seconds", "ms", "past-date", "seconds"],
)
@pytest.mark.parametrize("path", PATHS)
def test_a_usable_retry_after_is_honoured(
    path: str, headers: dict[str, str], expected: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_waits(monkeypatch)
    with FaultServer([Reply(429, LIMITED, headers), Reply(200, VALID)]) as server:
        outcome = through(path, server)
    assert outcome.result is not None and len(server.requests) == 2
    assert waits == [expected]


@pytest.mark.timeout(20)
def test_the_cli_retries_through_a_bad_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to print a traceback; now the article comes back with exit code 0."""
    waits = record_waits(monkeypatch)
    script = [Reply(429, LIMITED, {"Retry-After": "soon"}), Reply(200, VALID)]
    with FaultServer(script) as server:
        article = str(SEEDS / "001_42dbdfaf130e5adc.txt")
        endpoint = ["--base-url", f"{server.url}/v1", "--model", ENDPOINT["model"]]
        result = CliRunner().invoke(
            main, ["extract", article, *endpoint, "--compact-schema", "--no-cache"]
        )
    assert result.exit_code == 0, result.output
    assert len(server.requests) == 2 and len(waits) == 1


NOT_A_COMPLETION: list[tuple[str, Any, str]] = [
    ("no-choices", Reply(200, {**VALID, "choices": []}), "answered 200 without choices"),
    ("choices-missing", Reply(200, {k: v for k, v in VALID.items() if k != "choices"}),
     "answered 200 without choices"),
    ("choice-without-message", Reply(200, {**VALID, "choices": [{"index": 0}]}),
     "answered 200 with a choice that has no message"),
    ("html", Written(Reply(200, PAGE, {"Content-Type": "text/html; charset=utf-8"})),
     "answered 200 with a body that is not JSON (text/html)"),
    ("json-not-object", Reply(200, [VALID]), "answered 200 with JSON that is not an object"),
    ("error-in-a-200", Reply(200, api_error(500, "model crashed", "server_error").body),
     "answered 200 with an error instead of choices: model crashed"),
    ("truncated-json", Reply(200, TRUNCATED_JSON),
     "answered 200 with a malformed body (JSONDecodeError: Expecting value: line 1 column 63 "
     "(char 62))"),
    ("empty", Reply(200, b""), "answered 200 with an empty body"),
    ("bad-gzip", Written(Reply(200, json.dumps(VALID).encode(), {"Content-Encoding": "gzip"})),
     "answered 200 with a body that does not decode as gzip"),
    ("unasked-encoding", Written(Reply(200, b"\x00\x01", {"Content-Encoding": "br"})),
     "answered 200 in Content-Encoding 'br', which was not asked for"),
]  # fmt: skip


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("reply", "fault"), [c[1:] for c in NOT_A_COMPLETION],
                         ids=[c[0] for c in NOT_A_COMPLETION])  # fmt: skip
@pytest.mark.parametrize("path", PATHS)
def test_a_200_that_is_not_a_completion_is_a_retried_transport_fault(
    path: str, reply: Any, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_waits(monkeypatch)
    with FaultServer([reply]) as server:
        outcome = through(path, server, max_transport_retries=1, max_validation_retries=2)
    assert len(server.requests) == 2 and len(waits) == 1, "retried, never re-asked"
    assert outcome.error_type == "TransportError"
    assert outcome.message == f"{where(server)} {fault}, even after retries (2 attempts)"
    assert outcome.usage is not None
    assert (outcome.usage.requests, outcome.usage.failed_requests) == (2, 2)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", PATHS)
def test_a_200_without_choices_once_then_an_answer_succeeds(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    with FaultServer([Reply(200, {**VALID, "choices": []}), Reply(200, VALID)]) as server:
        outcome = through(path, server)
    assert outcome.result is not None and outcome.result.record.incidents
    assert len(server.requests) == 2
