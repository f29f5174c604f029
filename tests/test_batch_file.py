"""`--via batch-file`: the request JSONL written, answered by a script writing vLLM's
`run-batch` output format, and read back into --out like any batch's answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.core.errors import ConfigError
from llm_extract.core.settings import Settings
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from tests.batch_api_server import BatchAPIServer, item_of
from tests.conftest import ROOT, SEEDS

IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
CHAT = r"/v1/chat/completions"
pytestmark = [pytest.mark.block_network(allowed_hosts=["127.0.0.1"]), pytest.mark.timeout(60)]


def items(ids: list[str] = IDS) -> list[api.BatchItem]:
    return [api.BatchItem(id=i, path=SEEDS / f"{i}.txt") for i in ids]


def settings(server: BatchAPIServer, **options: Any) -> Settings:
    return Settings(base_url=server.url + "/v1", model="qwen2.5-7b-instruct", **options)


def vllm(requests: Path, answers: Path, *flags: str) -> None:
    """What `vllm run-batch -i requests -o answers` writes, from a script of ours."""
    command = [sys.executable, "-m", "tests.vllm_batch_answers", "-i", str(requests),
               "-o", str(answers), *flags]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True, timeout=60)


def results(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_requests_out_answers_in_every_article_exactly_once(tmp_path: Path) -> None:
    out, requests, answers = (tmp_path / n for n in ("r.jsonl", "q.jsonl", "a.jsonl"))
    options = api.BatchOptions(workers=0)
    with BatchAPIServer() as server:
        written = api.write_batch_requests(items(), out=out, requests=requests,
                                           options=options, settings=settings(server))  # fmt: skip
        sent = lines_of(requests)
        assert [item_of(line["custom_id"]) for line in sent] == IDS
        assert {(line["method"], line["url"]) for line in sent} == {
            ("POST", "/v1/chat/completions")
        }
        assert {line["body"]["model"] for line in sent} == {"qwen2.5-7b-instruct"}
        vllm(requests, answers, "--fail", IDS[4])
        read = api.read_batch_answers(items(), out=out, answers=answers, options=options,
                                      settings=settings(server))  # fmt: skip
        assert server.count("POST", CHAT) == 1, "the failed line, asked again live"
        assert [s.path for s in server.seen] == [CHAT]
        again = api.read_batch_answers(items(), out=out, answers=answers, options=options,
                                       settings=settings(server))  # fmt: skip
    assert (written.sent, written.done) == (5, 0)
    assert (read.answered, read.done, read.retried_live, read.failed, read.waiting) == (
        5, 5, 1, 0, 0
    )  # fmt: skip
    assert sorted(line["id"] for line in results(out)) == IDS
    assert {line["status"] for line in results(out)} == {"ok"}
    assert (again.skipped, again.answered, again.unknown) == (5, 0, 0)


def test_cached_and_done_articles_get_no_request_line(tmp_path: Path) -> None:
    requests, answers = tmp_path / "q.jsonl", tmp_path / "a.jsonl"
    with BatchAPIServer() as server:
        api.write_batch_requests(items(IDS[:2]), out=tmp_path / "first.jsonl",
                                 requests=requests, settings=settings(server))  # fmt: skip
        vllm(requests, answers)
        api.read_batch_answers(items(IDS[:2]), out=tmp_path / "first.jsonl", answers=answers,
                               settings=settings(server))  # fmt: skip
        out = tmp_path / "second.jsonl"
        written = api.write_batch_requests(items(), out=out, requests=requests,
                                           settings=settings(server))  # fmt: skip
        assert sorted(item_of(line["custom_id"]) for line in lines_of(requests)) == IDS[2:]
        assert sorted(line["id"] for line in results(out)) == IDS[:2]  # from the cache
        vllm(requests, answers)
        read = api.read_batch_answers(items(), out=out, answers=answers,
                                      settings=settings(server))  # fmt: skip
        assert server.seen == []
    assert (written.sent, written.cached) == (3, 2)
    assert (read.skipped, read.answered, read.done) == (2, 3, 3)
    assert sorted(line["id"] for line in results(out)) == IDS


def test_with_retry_via_batch_an_invalid_answer_waits_for_the_next_file(tmp_path: Path) -> None:
    out, requests, answers = (tmp_path / n for n in ("r.jsonl", "q.jsonl", "a.jsonl"))
    with BatchAPIServer() as server:
        api.write_batch_requests(items(), out=out, requests=requests, settings=settings(server))
        vllm(requests, answers, "--invalid", IDS[0])
        read = api.read_batch_answers(items(), out=out, answers=answers, retry="batch",
                                      settings=settings(server))  # fmt: skip
        api.write_batch_requests(items(), out=out, requests=requests, settings=settings(server))
        assert server.seen == []
    assert (read.done, read.failed, read.deferred) == (4, 1, 1)
    (error,) = [line for line in results(out) if line["status"] == "error"]
    assert error["id"] == IDS[0] and "next --requests file" in error["message"]
    assert [item_of(line["custom_id"]) for line in lines_of(requests)] == [IDS[0]]


def test_answers_asked_under_other_settings_land_nowhere(tmp_path: Path) -> None:
    out, requests, answers = (tmp_path / n for n in ("r.jsonl", "q.jsonl", "a.jsonl"))
    notes: list[str] = []
    with BatchAPIServer() as server:
        api.write_batch_requests(items(), out=out, requests=requests, settings=settings(server))
        vllm(requests, answers)
        other = settings(server, temperature=0.7)  # another cache key: another custom_id
        read = api.read_batch_answers(items(), out=out, answers=answers, settings=other,
                                      notify=notes.append)  # fmt: skip
    assert (read.unknown, read.done, read.waiting) == (5, 0, 5)
    assert not out.read_text()
    assert any("match no article" in note for note in notes)


def test_grounded_and_the_local_backend_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be one batch line"):
        api.write_batch_requests(items(), out=tmp_path / "r.jsonl", requests=tmp_path / "q",
                                 strategy="grounded", base_url="http://127.0.0.1:9/v1")  # fmt: skip
    with pytest.raises(ConfigError, match="use the openai backend"):
        api.write_batch_requests(items(), out=tmp_path / "r.jsonl", requests=tmp_path / "q",
                                 backend="local")  # fmt: skip
    assert not (tmp_path / "q").exists()


def test_the_cli_writes_requests_says_what_next_and_reads_answers(tmp_path: Path) -> None:
    out, requests, answers = (tmp_path / n for n in ("r.jsonl", "q.jsonl", "a.jsonl"))
    with BatchAPIServer() as server:
        common = ["batch", str(SEEDS), "--out", str(out), "--via", "batch-file",
                  "--base-url", server.url + "/v1", "--model", "m1", "--workers", "0"]  # fmt: skip
        wrote = CliRunner().invoke(main, [*common, "--requests", str(requests)])
        vllm(requests, answers)
        read = CliRunner().invoke(main, [*common, "--answers", str(answers)])
        both = CliRunner().invoke(main, [*common, "--requests", "x", "--answers", "y"])
    assert wrote.exit_code == 0, wrote.stderr
    assert f"wrote 5 request(s) to {requests}" in wrote.stderr
    assert f"vllm run-batch -i {requests} -o" in wrote.stderr and "--model m1" in wrote.stderr
    assert read.exit_code == 0, read.stderr
    assert "5 done, 0 failed, 5 answers read from a.jsonl" in read.stderr
    assert sorted(line["id"] for line in results(out)) == IDS
    assert both.exit_code == 2 and "--requests FILE (to write) or --answers" in both.stderr


def test_options_of_another_path_are_refused_before_anything_runs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from llm_extract.interfaces.cli.main import main

    article = tmp_path / "a.txt"
    article.write_text("Gunmen killed 12 villagers in Koro.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for extra, said in (
        (["--requests", str(tmp_path / "r.jsonl")], "--requests and --answers go with"),
        (["--poll", "1"], "--poll go with --via batch-api or batch-file"),
    ):
        run = CliRunner().invoke(main, ["batch", str(article), "--out", str(out), *extra])
        assert run.exit_code == 2 and said in run.stderr
        assert not out.exists()
