"""`--via batch-api`: the real openai SDK against a local Files/Batches server; every
answer through the live path's validation, verification, cache and --out."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.backends.batch_api import BatchAPI
from llm_extract.batch.limits import cost_of
from llm_extract.core.errors import ConfigError, TransportError
from llm_extract.core.settings import Settings
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from tests.batch_api_server import BatchAPIServer, Once, item_of
from tests.conftest import SEEDS

KEY = "sk-test-batchkey-0123456789abcdef"
IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
FAST = api.RemoteOptions(poll_s=0.01, max_poll_s=0.02)
CREATE, CHAT = r"/v1/batches", r"/v1/chat/completions"
pytestmark = [pytest.mark.block_network(allowed_hosts=["127.0.0.1"]), pytest.mark.timeout(60)]


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


def items(ids: list[str] = IDS) -> list[api.BatchItem]:
    return [api.BatchItem(id=i, path=SEEDS / f"{i}.txt") for i in ids]


def settings(server: BatchAPIServer, **options: Any) -> Settings:
    return Settings(base_url=server.url + "/v1", model="gpt-4o-mini", **options)


def run(
    server: BatchAPIServer,
    out: Path,
    ids: list[str] = IDS,
    remote: api.RemoteOptions = FAST,
    notes: list[str] | None = None,
    options: api.BatchOptions | None = None,
    **settings_options: Any,
) -> api.RemoteSummary:
    return api.extract_batch_api(
        items(ids),
        out=out,
        remote=remote,
        options=options or api.BatchOptions(workers=0),
        settings=settings(server, **settings_options),
        notify=(notes if notes is not None else []).append,
    )


def results(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_a_run_submits_once_polls_and_writes_every_article_once(tmp_path: Path) -> None:
    notes: list[str] = []
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(polls=3) as server:
        summary = run(server, out, notes=notes)
        assert server.count("POST", "/v1/files") == 1
        assert server.count("POST", CREATE) == 1
        assert server.count("GET", r"/v1/batches/batch_\d+") == 3
        assert server.count("POST", CHAT) == 0
    lines = results(out)
    assert sorted(line["id"] for line in lines) == IDS
    assert {line["status"] for line in lines} == {"ok"}
    assert all(line["verification"]["verdicts"] for line in lines), "every answer verified"
    assert (summary.done, summary.failed, summary.sent, summary.batches) == (5, 0, 5, 1)
    assert summary.usage.requests == 5
    assert summary.cost == pytest.approx(cost_of(summary.usage, (0.075, 0.30)))  # half price
    looks = [note for note in notes if note.startswith("batch-api: part-0001")]
    assert [note.split()[2] for note in looks] == ["validating", "in_progress"]
    assert "0/5 done" in looks[0]
    state = json.loads((tmp_path / "results.jsonl.batch-state.json").read_text())
    assert [(p["stage"], p["status"], p["completed"]) for p in state["parts"]] == [
        ("collected", "completed", 5)
    ]


def test_a_line_body_is_the_request_the_live_backend_sends(tmp_path: Path) -> None:
    with BatchAPIServer() as server:
        run(server, tmp_path / "results.jsonl", ids=IDS[:1], use_cache=False)
        (line,) = server.sent_lines()
        api.extract_file(SEEDS / f"{IDS[0]}.txt", settings=settings(server, use_cache=False))
        live = json.loads(server.seen[-1].body)
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
    assert line["body"] == live
    assert item_of(line["custom_id"]) == IDS[0]


def test_failed_lines_are_asked_again_live(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(fail=lambda cid: item_of(cid) in IDS[1:3]) as server:
        summary = run(server, out)
        assert server.count("POST", CHAT) == 2
        assert server.count("POST", CREATE) == 1
    assert sorted(line["id"] for line in results(out)) == IDS
    assert (summary.done, summary.retried_live, summary.failed) == (5, 2, 0)


def test_answers_that_do_not_validate_are_reasked_live_within_the_budget(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(invalid=lambda cid: item_of(cid) == IDS[0]) as server:
        run(server, out)
        chats = [json.loads(s.body) for s in server.seen if s.path == CHAT]
    (reask,) = chats
    assert "Validation Error found" in reask["messages"][-1]["content"]
    assert reask["messages"][-2]["role"] == "assistant"  # the batch's invalid answer
    by_id = {line["id"]: line for line in results(out)}
    assert by_id[IDS[0]]["status"] == "ok"
    assert by_id[IDS[0]]["usage"]["requests"] == 2  # the batch answer and the re-ask

    with BatchAPIServer(invalid=lambda cid: True) as server:
        summary = run(server, tmp_path / "none.jsonl", ids=IDS[:2], max_validation_retries=0)
        assert server.count("POST", CHAT) == 0, "no re-ask left: nothing asked again"
    assert summary.failed == 2
    assert {line["error_type"] for line in results(tmp_path / "none.jsonl")} == {
        "ValidationFailure"
    }


def test_with_retry_via_batch_the_rest_goes_in_a_follow_up_batch(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    remote = api.RemoteOptions(poll_s=0.01, max_poll_s=0.02, retry="batch")
    with BatchAPIServer(invalid=Once(IDS[0]), fail=Once(IDS[1])) as server:
        summary = run(server, out, remote=remote)
        assert server.count("POST", CREATE) == 2
        assert server.count("POST", CHAT) == 0
        follow_up = server.sent_lines()[5:]
    assert sorted(item_of(line["custom_id"]) for line in follow_up) == IDS[:2]
    reask = next(line for line in follow_up if item_of(line["custom_id"]) == IDS[0])
    assert "Validation Error found" in reask["body"]["messages"][-1]["content"]
    assert sorted(line["id"] for line in results(out)) == IDS
    assert (summary.done, summary.deferred, summary.batches) == (5, 2, 2)


def test_an_expired_batch_keeps_its_partial_output_and_the_rest_is_asked_live(
    tmp_path: Path,
) -> None:
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(expire_after=2) as server:
        summary = run(server, out)
        assert server.count("POST", CHAT) == 3
    assert sorted(line["id"] for line in results(out)) == IDS
    assert (summary.answered, summary.retried_live, summary.done) == (5, 3, 5)


def test_cancel_stops_the_batches_and_the_run_keeps_what_they_answered(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(polls=10_000, cancel_keeps=2) as server:
        done: list[api.RemoteSummary] = []
        worker = threading.Thread(target=lambda: done.append(run(server, out)))
        worker.start()
        state = tmp_path / "results.jsonl.batch-state.json"
        deadline = time.monotonic() + 20
        while b'"batch_id": "batch_' not in _read(state) and time.monotonic() < deadline:
            time.sleep(0.01)
        parts = api.cancel_batch_api(out, settings=settings(server))
        worker.join(timeout=30)
        assert server.count("POST", r"/v1/batches/batch_\d+/cancel") == 1
        assert server.count("POST", CHAT) == 3
        (shown,) = api.batch_api_status(out, settings=settings(server))
    assert parts[0].status == "cancelling"
    assert (shown.stage, shown.status) == ("collected", "cancelled")
    assert done[0].done == 5 and sorted(line["id"] for line in results(out)) == IDS


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


class Killed(BaseException):
    """Stands for kill -9 at the worst moment: the batch made, not yet recorded."""


def test_a_killed_run_resumes_by_collecting_and_never_submits_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "results.jsonl"
    submit = BatchAPI.submit
    calls = []

    def dies_after_the_second_submit(self: BatchAPI, *args: Any, **kwargs: Any) -> Any:
        batch = submit(self, *args, **kwargs)
        calls.append(batch.id)
        if len(calls) == 2:
            raise Killed
        return batch

    remote = api.RemoteOptions(poll_s=0.01, max_poll_s=0.02, max_lines=3)
    with BatchAPIServer(polls=2) as server:
        monkeypatch.setattr(BatchAPI, "submit", dies_after_the_second_submit)
        with pytest.raises(Killed):
            run(server, out, remote=remote)
        state = json.loads((tmp_path / "results.jsonl.batch-state.json").read_text())
        assert [p["stage"] for p in state["parts"]] == ["submitted", "uploaded"]
        monkeypatch.setattr(BatchAPI, "submit", submit)
        summary = run(server, out, remote=remote)
        assert server.count("POST", "/v1/files") == 2
        assert server.count("POST", CREATE) == 2, "one create per file, across both runs"
        assert server.count("GET", r"/v1/batches\?.*") == 1  # the unrecorded one, looked up
    assert sorted(line["id"] for line in results(out)) == IDS
    assert (summary.done, summary.batches, summary.skipped) == (5, 0, 0)


def test_cache_hits_and_ids_already_in_out_are_never_sent(tmp_path: Path) -> None:
    with BatchAPIServer() as server:
        run(server, tmp_path / "first.jsonl", ids=IDS[:3])
        out = tmp_path / "second.jsonl"
        summary = run(server, out)
        assert len(server.sent_lines()) == 5, "3 in the first batch, 2 in the second"
        assert sorted(item_of(line["custom_id"]) for line in server.sent_lines()[3:]) == IDS[3:]
        again = run(server, out)
        assert server.count("POST", CREATE) == 2
    assert (summary.cached, summary.sent) == (3, 2)
    assert sorted(line["id"] for line in results(out)) == IDS
    assert (again.skipped, again.sent, again.done) == (5, 0, 0)


def test_files_split_at_the_line_limit(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    remote = api.RemoteOptions(poll_s=0.01, max_poll_s=0.02, max_lines=2)
    with BatchAPIServer() as server:
        summary = run(server, out, remote=remote)
        sizes = [len(batch.lines) for batch in server.batches.values()]
    assert sizes == [2, 2, 1] and summary.batches == 3
    assert sorted(line["id"] for line in results(out)) == IDS


def test_a_cost_budget_at_batch_rates_stops_sending(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    options = api.BatchOptions(workers=0, max_cost=1e-9)
    with BatchAPIServer() as server:
        summary = run(server, out, options=options)
        assert len(server.sent_lines()) == 1
    assert (summary.sent, summary.not_started, summary.stop_cause) == (1, 4, "budget")


def test_the_key_is_never_written_logged_or_shown(tmp_path: Path, monkeypatch: Any) -> None:
    out = tmp_path / "results.jsonl"
    notes: list[str] = []
    submit = BatchAPI.submit

    def dies(self: BatchAPI, *args: Any, **kwargs: Any) -> Any:
        submit(self, *args, **kwargs)
        raise Killed

    with BatchAPIServer() as server:
        monkeypatch.setattr(BatchAPI, "submit", dies)
        with pytest.raises(Killed):
            run(server, out, notes=notes)
        assert server.seen[0].headers["authorization"] == f"Bearer {KEY}"
        written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
        assert any(b'"custom_id"' in data for data in written), "the request file is there"
        assert not any(KEY.encode() in data for data in written)
        assert not any(KEY.encode() in data for _, data in server.files.values())
        monkeypatch.setattr(BatchAPI, "submit", submit)
        run(server, out, notes=notes)
    assert notes and not any(KEY in note for note in notes)

    with BatchAPIServer(unauthorized=True) as server, pytest.raises(TransportError) as refused:
        run(server, tmp_path / "other.jsonl")
    assert "HTTP 401" in str(refused.value) and KEY not in str(refused.value)


def test_grounded_is_refused_in_one_line(tmp_path: Path) -> None:
    with BatchAPIServer() as server:
        with pytest.raises(ConfigError, match="grounded strategy asks many questions"):
            run(server, tmp_path / "results.jsonl", strategy="grounded")
        cli = CliRunner().invoke(main, [
            "batch", str(SEEDS), "--out", str(tmp_path / "r.jsonl"), "--via", "batch-api",
            "--strategy", "grounded", "--base-url", server.url + "/v1",
        ])  # fmt: skip
        assert server.seen == []
    assert cli.exit_code == 2
    assert cli.stderr.count("\n") == 1 and "cannot be one batch line" in cli.stderr


def test_the_cli_runs_a_batch_and_shows_its_status(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    with BatchAPIServer(polls=2) as server:
        url = server.url + "/v1"
        ran = CliRunner().invoke(main, [
            "batch", str(SEEDS), "--out", str(out), "--via", "batch-api", "--base-url", url,
            "--model", "gpt-4o-mini", "--poll", "0.01", "--max-poll", "0.02", "--workers", "0",
        ])  # fmt: skip
        status = CliRunner().invoke(main, ["batch-api", "status", "--out", str(out),
                                           "--base-url", url])  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert "5 done, 0 failed, 5 requests in 1 new batch(es)" in ran.stderr
    assert status.exit_code == 0, status.stderr
    assert "part-0001  batch_2  completed (collected)  5/5 done  gpt-4o-mini" in status.stdout
