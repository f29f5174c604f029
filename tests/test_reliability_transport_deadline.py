"""A request has a wall-clock limit (--timeout), the whole body included, and one model
call with its retries has one too (--max-total), on both HTTP paths: a server that
trickles bytes or headers cannot hold a call past them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS
from tests.fault_server import FaultServer, Reply, Trickle
from tests.test_faults import ENDPOINT, VALID
from tests.test_reliability_transport_support import PATHS, record_waits, through, where

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.mark.timeout(20)
@pytest.mark.parametrize("slow_headers", [False, True], ids=["trickled-body", "slowloris"])
@pytest.mark.parametrize("path", PATHS)
def test_a_trickling_server_is_cut_at_the_timeout(
    path: str, slow_headers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte at a time, each well within a per-read timeout: the wall-clock limit
    is what ends it."""
    waits = record_waits(monkeypatch)
    trickle = Trickle(Reply(200, VALID), interval_s=0.1, slow_headers=slow_headers)
    started = time.perf_counter()
    with FaultServer([trickle]) as server:
        outcome = through(path, server, timeout_s=1, max_transport_retries=1)
        elapsed = time.perf_counter() - started
    assert elapsed < 4, "two attempts of about a second each"
    assert len(server.requests) == 2 and len(waits) == 1
    assert outcome.error_type == "TransportError"
    assert outcome.message == (
        f"{where(server)} timed out after 1s, even after retries (2 attempts); "
        "raise --timeout if the model needs longer"
    )
    assert outcome.usage is not None and (
        outcome.usage.requests,
        outcome.usage.failed_requests,
    ) == (
        2,
        2,
    )


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", PATHS)
def test_retries_stop_before_the_total_would_be_passed(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third attempt could end past the total: it is not started, whatever the retry
    count allows."""
    waits = record_waits(monkeypatch)
    trickle = Trickle(Reply(200, VALID), interval_s=0.1)
    started = time.perf_counter()
    with FaultServer([trickle]) as server:
        outcome = through(
            path,
            server,
            timeout_s=1,
            max_total_s=2.5,
            max_transport_retries=4,
            max_retry_wait_s=0.01,
        )
        elapsed = time.perf_counter() - started
    assert elapsed < 2.5 + 0.5
    assert len(server.requests) == 2 and len(waits) == 1
    assert outcome.message == (
        f"{where(server)} timed out after 1s, even after retries (2 attempts; another would end "
        "past --max-total 2.5s); raise --timeout if the model needs longer"
    )


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", PATHS)
def test_a_slow_but_steady_answer_within_the_timeout_is_kept(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is on the request, not on each read: an answer that finishes in time
    is accepted however it arrives."""
    waits = record_waits(monkeypatch)
    with FaultServer([Trickle(Reply(200, VALID), interval_s=0.0)]) as server:
        outcome = through(path, server, timeout_s=5)
    assert outcome.result is not None and outcome.result.record.incidents
    assert len(server.requests) == 1 and waits == []


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", PATHS)
def test_a_hung_server_costs_one_timeout_per_attempt(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No byte at all (the server sleeps): the same limit, the same message."""
    waits = record_waits(monkeypatch)
    started = time.perf_counter()
    with FaultServer([Reply(200, VALID, delay_s=30)]) as server:
        outcome = through(path, server, timeout_s=0.5, max_transport_retries=0)
        elapsed = time.perf_counter() - started
    assert elapsed < 2
    assert len(server.requests) == 1 and waits == []
    assert outcome.message == (
        f"{where(server)} timed out after 0.5s; raise --timeout if the model needs longer"
    )


@pytest.mark.timeout(20)
@pytest.mark.parametrize("command", ["extract", "batch"])
def test_the_cli_takes_the_limits_and_fails_in_one_line(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    record_waits(monkeypatch)
    article = str(SEEDS / "001_42dbdfaf130e5adc.txt")
    limits = ["--timeout", "1", "--max-total", "2.5", "--max-response-bytes", "65536"]
    trickle = Trickle(Reply(200, VALID), interval_s=0.1)
    started = time.perf_counter()
    with FaultServer([trickle]) as server:
        endpoint = ["--base-url", f"{server.url}/v1", "--model", ENDPOINT["model"]]
        output = ["--out", str(tmp_path / "out.jsonl")] if command == "batch" else []
        arguments = [command, article, *endpoint, *limits, "--compact-schema", "--no-cache"]
        result = CliRunner().invoke(main, [*arguments, *output])
        elapsed = time.perf_counter() - started
    assert elapsed < 2.5 + 1.5
    assert len(server.requests) == 2
    assert result.exit_code == 1
    failure = (
        f"{where(server)} timed out after 1s, even after retries (2 attempts; another "
        "would end past --max-total 2.5s); raise --timeout if the model needs longer"
    )
    if command == "extract":
        assert result.stderr == f"llm-extract: error: {failure}\n"
    else:
        assert f"001_42dbdfaf130e5adc: failed: {failure}" in " ".join(result.stderr.split())


def test_the_limits_are_documented_in_help() -> None:
    text = " ".join(CliRunner().invoke(main, ["extract", "--help"]).output.split())
    assert "--timeout SECONDS Wall-clock limit on each request" in text
    assert "[default: 120; x>0]" in text and "[default: 300; x>0]" in text
    assert "--max-response-bytes BYTES Largest answer accepted (default 8 MiB)" in text
