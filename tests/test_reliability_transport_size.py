"""Response bodies are capped while they are read (--max-response-bytes), on both HTTP
paths: an answer over the cap is refused without reading the rest, an error body is
read only as far as its excerpt needs, and a compressed body is capped as it expands."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS
from tests.fault_server import FaultServer, Flood, Reply, Written, api_error
from tests.test_faults import ENDPOINT, VALID
from tests.test_reliability_transport_support import PATHS, record_waits, through, where

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

CAP = 1024 * 1024
HUGE = 64 * 1024 * 1024  # far beyond what loopback's socket buffers can hold unread
TOO_LARGE = (
    "answered 200 with a body over the 1 MiB limit; raise --max-response-bytes if its "
    "answers are that large"
)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
@pytest.mark.parametrize("path", PATHS)
def test_an_answer_over_the_cap_is_refused_without_reading_it(
    path: str, chunked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = record_waits(monkeypatch)
    with FaultServer([Flood(Reply(200, VALID), pad_to=HUGE, chunked=chunked)]) as server:
        outcome = through(path, server, max_response_bytes=CAP)
    assert len(server.requests) == 1 and waits == [], "a too large answer is not retried"
    assert server.requests[0].sent_bytes < HUGE // 2, "the client stopped reading"
    assert outcome.error_type == "TransportError"
    assert outcome.message == f"{where(server)} {TOO_LARGE}"
    assert outcome.usage is not None and outcome.usage.failed_requests == 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", PATHS)
def test_an_error_body_is_read_no_further_than_its_excerpt(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 500 with 64 MiB of body is still a 500, retried as one; its message keeps the
    server's words, not its megabytes."""
    waits = record_waits(monkeypatch)
    failing = Flood(api_error(500, "internal error", "server_error"), pad_to=HUGE)
    with FaultServer([failing]) as server:
        outcome = through(path, server, max_transport_retries=2)
    assert len(server.requests) == 3 and len(waits) == 2
    assert all(r.sent_bytes < HUGE // 2 for r in server.requests)
    assert outcome.message == (
        f"{where(server)} answered HTTP 500 after retries (3 attempts): internal error"
    )


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", PATHS)
def test_a_long_error_message_is_cut_to_one_short_line(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    lines = "\n".join(f"line {i} of the server's stack trace" for i in range(5000))
    with FaultServer([api_error(400, lines, "invalid_request_error")]) as server:
        outcome = through(path, server)
    assert len(server.requests) == 1
    assert outcome.message is not None and "\n" not in outcome.message
    detail = outcome.message.split(": ", 1)[1]
    assert detail.startswith("line 0 of the server's stack trace line 1 of")
    assert len(detail) <= 300


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", PATHS)
def test_a_compressed_answer_is_capped_as_it_expands(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few hundred KB of gzip that would expand to 64 MiB is refused at the cap."""
    record_waits(monkeypatch)
    document = json.dumps(VALID).encode()
    bomb = gzip.compress(document + b" " * (HUGE - len(document)), compresslevel=9)
    assert len(bomb) < CAP
    reply = Reply(200, bomb, {"Content-Encoding": "gzip"})
    with FaultServer([Written(reply)]) as server:
        outcome = through(path, server, max_response_bytes=CAP)
    assert len(server.requests) == 1
    assert outcome.message == f"{where(server)} {TOO_LARGE}"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", PATHS)
def test_a_compressed_answer_under_the_cap_is_read(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_waits(monkeypatch)
    reply = Reply(200, gzip.compress(json.dumps(VALID).encode()), {"Content-Encoding": "gzip"})
    with FaultServer([Written(reply)]) as server:
        outcome = through(path, server, max_response_bytes=CAP)
    assert outcome.result is not None and outcome.result.record.incidents
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.timeout(30)
def test_the_cli_refuses_a_flood_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    record_waits(monkeypatch)
    article = str(SEEDS / "001_42dbdfaf130e5adc.txt")
    with FaultServer([Flood(Reply(200, VALID), pad_to=HUGE)]) as server:
        endpoint = ["--base-url", f"{server.url}/v1", "--model", ENDPOINT["model"]]
        limit = ["--max-response-bytes", str(CAP)]
        result = CliRunner().invoke(
            main, ["extract", article, *endpoint, *limit, "--compact-schema", "--no-cache"]
        )
    assert result.exit_code == 1
    assert result.stderr == f"llm-extract: error: {where(server)} {TOO_LARGE}\n"
    assert len(server.requests) == 1 and server.requests[0].sent_bytes < HUGE // 2
