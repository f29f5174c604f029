"""The batch engine under load and interruption: resume after kill -9, budgets, rate
limits, de-duplication, durable JSONL and a cache shared by concurrent processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract import BatchOptions, extract_batch
from llm_extract.batch import recent as recent_module
from llm_extract.batch.limits import Budget, RateLimiter, cost_of
from llm_extract.core.results import ExtractionResult, Usage
from llm_extract.extraction.cache import ResultCache
from llm_extract.interfaces.cli.main import main
from llm_extract.io.result_log import ResultLog
from tests.conftest import CASSETTES, ROOT, seed_text
from tests.fault_server import FaultServer, Reply, recorded_bodies

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

VALID = recorded_bodies(
    CASSETTES
    / "test_replay"
    / "test_seed_extracts_and_second_run_is_served_from_cache[llamacpp].yaml"
)[0]
ARTICLE = seed_text("001_42dbdfaf130e5adc.txt")
TOKENS = VALID["usage"]["total_tokens"]
REFERENCE = re.compile(r"Reference (\d{3})\.")


def endpoint(server: FaultServer) -> dict[str, Any]:
    return {"backend": "openai", "base_url": f"{server.url}/v1", "model": "smollm2-135m",
            "compact_schema": True, "use_cache": False}  # fmt: skip


def articles(count: int) -> list[tuple[str, str]]:
    return [(f"a{n:03d}", f"{ARTICLE}\nReference {n:03d}.") for n in range(count)]


def write_articles(folder: Path, count: int) -> None:
    folder.mkdir()
    for item_id, text in articles(count):
        (folder / f"{item_id}.txt").write_text(text, encoding="utf-8")


def references(server: FaultServer) -> list[str]:
    """Which article each request the server received was for."""
    found = []
    for request in server.requests:
        if not isinstance(request.body, dict):  # cut off when the client was killed
            continue
        match = REFERENCE.search(json.dumps(request.body["messages"]))
        found.append(f"a{match.group(1)}" if match else "?")
    return found


def output_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]


def test_kill_9_mid_batch_then_rerun_gives_each_article_once_and_no_repeat_request(
    tmp_path: Path,
) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 200)
    command = [sys.executable, "-m", "llm_extract.interfaces.cli.main", "batch", str(folder),
               "--out", str(out), "--no-cache", "--concurrency", "8", "--quiet",
               "--model", "smollm2-135m", "--compact-schema"]  # fmt: skip
    env = {**os.environ, "LLM_EXTRACT_CACHE_DIR": str(tmp_path / "cache")}
    with FaultServer(default=Reply(200, VALID, delay_s=0.05)) as server:
        command += ["--base-url", f"{server.url}/v1"]
        first = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            not out.exists() or out.read_text().count("\n") < 40
        ):
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        finished_first = set(output_ids(out) if out.read_text().endswith("\n") else
                             output_ids(out)[:-1])  # fmt: skip
        assert 40 <= len(finished_first) < 200, "killed mid-batch"
        second = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120,
                                check=False)  # fmt: skip
        assert second.returncode == 0, second.stderr.decode()
        assert f"already in {out.name}" in second.stderr.decode()
        seen = references(server)
    ids = output_ids(out)
    assert sorted(ids) == [f"a{n:03d}" for n in range(200)], "each article exactly once"
    for item_id in finished_first:
        assert seen.count(item_id) == 1, f"{item_id} was finished, yet asked again"


def test_a_torn_last_line_is_cut_off_and_its_article_redone(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text('{"id": "a000", "status": "ok"}\n{"id": "a001", "sta', encoding="utf-8")
    log = ResultLog(out)
    assert log.repaired_bytes == len('{"id": "a001", "sta')
    assert log.done_ids() == {"a000"}
    log.write('{"id": "a001", "status": "ok"}')
    log.close()
    assert output_ids(out) == ["a000", "a001"]


def test_token_budget_stops_new_work_and_keeps_finished_results(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    options = BatchOptions(concurrency=2, max_tokens_total=2 * TOKENS + 1)
    with FaultServer(default=Reply(200, VALID, delay_s=0.05)) as server:
        outcomes = list(extract_batch(articles(10), out=out, options=options, **endpoint(server)))
        requests = len(server.requests)
    # Two start at once; after two answers the budget (2 answers + 1 token) still has
    # room, so a third and fourth start; after the third nothing new starts.
    assert requests == 4
    assert len(outcomes) == 4 and all(o.status == "ok" for o in outcomes)
    assert len(output_ids(out)) == 4


def test_cli_budget_exit_code_and_summary(tmp_path: Path) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 6)
    with FaultServer(default=Reply(200, VALID)) as server:
        result = CliRunner().invoke(main, [
            "batch", str(folder), "--out", str(out), "--no-cache", "--concurrency", "1",
            "--base-url", f"{server.url}/v1", "--model", "gpt-4o-mini", "--compact-schema",
            "--max-tokens-total", str(TOKENS),
        ])  # fmt: skip
        requests = len(server.requests)
    assert result.exit_code == 3, result.stderr
    assert requests == 1
    assert "1 done, 0 failed" in result.stderr and "5 not started" in result.stderr
    assert "token budget reached" in result.stderr
    assert "est. $0.0" in result.stderr  # gpt-4o-mini has a default price
    assert "\x1b[" not in result.stderr, "no progress bar in a pipe"


def test_identical_articles_are_sent_once(tmp_path: Path) -> None:
    same = [("x", ARTICLE), ("y", ARTICLE), ("z", ARTICLE + "\n"), ("w", ARTICLE + " Other.")]
    with FaultServer(default=Reply(200, VALID, delay_s=0.1)) as server:
        outcomes = {o.id: o for o in extract_batch(same, concurrency=4, **endpoint(server))}
        requests = len(server.requests)
    assert requests == 2, "x, y and z are one article after normalisation"
    assert set(outcomes) == {"x", "y", "z", "w"}
    assert outcomes["x"].record == outcomes["y"].record == outcomes["z"].record
    charged = [o.usage.total_tokens for o in outcomes.values()]
    assert sorted(charged) == [0, 0, TOKENS, TOKENS], "tokens are counted once"


def test_repeats_are_remembered_within_a_byte_bound_not_for_the_whole_batch() -> None:
    """Without a cache, finished results answer repeats further down the list; how many
    are kept is bounded in bytes, so memory does not grow with the batch."""
    recent = recent_module.Recent(max_bytes=10)
    for key in ("a", "b", "c"):
        recent.add(key, ExtractionResult, key * 4)
    assert (len(recent), recent.bytes) == (2, 8)
    assert recent.get("a") is None and recent.get("c") == (ExtractionResult, "cccc")
    recent.add("c", ExtractionResult, "x" * 50)  # one larger than the bound is still kept
    assert (len(recent), recent.bytes) == (1, 50)
    assert recent_module.RECENT_BYTES <= 16 * 1024 * 1024


def test_failures_are_recorded_per_item_and_the_cli_exits_1(tmp_path: Path) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 3)
    (folder / "empty.txt").write_text("  ")
    with FaultServer(default=Reply(200, VALID)) as server:
        result = CliRunner().invoke(main, [
            "batch", str(folder), "--out", str(out), "--no-cache",
            "--base-url", f"{server.url}/v1", "--model", "smollm2-135m", "--compact-schema",
        ])  # fmt: skip
    assert result.exit_code == 1
    lines = {json.loads(line)["id"]: json.loads(line) for line in out.read_text().splitlines()}
    assert lines["empty"]["status"] == "error" and lines["empty"]["error_type"] == "InputError"
    assert "empty: failed: " in result.stderr and "3 done, 1 failed" in result.stderr


def test_rate_limiter_spaces_requests_and_settles_tokens() -> None:
    now = [0.0]
    limiter = RateLimiter(requests_per_minute=60, tokens_per_minute=6000, clock=lambda: now[0])
    assert limiter.wait_time(100) == 0
    limiter._requests, limiter._tokens = 0.0, 6000.0  # one request just went out
    assert limiter.wait_time(100) == pytest.approx(1.0)  # 60/min: one per second
    now[0] += 1.0
    assert limiter.wait_time(100) == 0
    limiter._requests, limiter._tokens = 1.0, 50.0
    assert limiter.wait_time(200) == pytest.approx(1.5)  # 150 tokens at 100/s
    limiter.settle(estimated=200, actual=50)
    assert limiter._tokens == pytest.approx(200.0)


def test_cost_budget_and_estimate() -> None:
    budget = Budget(max_cost=0.001, prices=(0.15, 0.60))
    budget.spend(Usage(prompt_tokens=4000, completion_tokens=500, total_tokens=4500))
    assert budget.cost == pytest.approx(cost_of(budget.usage, (0.15, 0.60))) == 0.0009
    assert budget.exhausted() is None
    budget.spend(Usage(prompt_tokens=1000, total_tokens=1000))
    assert "cost budget reached" in (budget.exhausted() or "")


def test_concurrent_writers_sharing_one_cache_lose_no_entry(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from llm_extract.extraction.cache import ResultCache\n"
        "cache = ResultCache(sys.argv[1])\n"
        "for n in range(50):\n"
        "    cache.put(f'{sys.argv[2]}-{n}', f'{{\"n\": {n}}}')\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"w{w}"], cwd=ROOT)
        for w in range(4)
    ]
    assert all(p.wait(timeout=60) == 0 for p in writers)
    cache = ResultCache(tmp_path)
    assert cache.stats().entries == 200
    assert cache.get("w3-49") == '{"n": 49}'
