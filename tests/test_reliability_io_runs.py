"""Batch inputs and runs: files that block or share a stem, ids repeated, batch output
that starts with a byte-order mark read by every reader, and an endpoint that is down:
no call it does not need, no result shadowed, and the same command resumes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.batch import engine
from llm_extract.batch.drivers import iterate_in_thread, run_batch
from llm_extract.batch.engine import BatchRun
from llm_extract.batch.items import BatchOptions
from llm_extract.core.errors import InputError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from tests.conftest import ROOT
from tests.doubles import CountingBackend
from tests.fault_server import FaultServer, Reply, api_error
from tests.test_batch_engine import VALID, output_ids, references, write_articles
from tests.test_reliability_io_batch import batch_args, counting

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


# 2. Article files in batch: never on the event loop, a FIFO is an error line -------------


@pytest.mark.timeout(30)
def test_a_fifo_in_a_folder_is_an_error_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Gunmen killed 3 people in Gao.")
    os.mkfifo(folder / "b.txt")
    extractor, backend = counting()
    outcomes = {o.id: o for o in run_batch(extractor, api.batch_items([folder]))}
    assert outcomes["a"].status == "ok"
    assert outcomes["b"].status == "error" and outcomes["b"].message.startswith(
        f"{folder / 'b.txt'} is a FIFO (named pipe), not a regular file"
    )
    assert len(backend.calls) == 1


@pytest.mark.timeout(30)
def test_a_slow_file_does_not_stall_requests_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    folder.mkdir()
    (folder / "fast.txt").write_text("Gunmen killed 3 people in Gao.")
    (folder / "slow.txt").write_text("Soldiers killed 4 people in Mopti.")
    real_read = engine.read_source

    def read(path: Path, **options: Any) -> str:
        if Path(path).name == "slow.txt":  # a file on a stalled disk: done when fast is
            deadline = time.monotonic() + 5
            while '"fast"' not in (out.read_text() if out.exists() else ""):
                assert time.monotonic() < deadline, "the batch stalled behind a slow file"
                time.sleep(0.01)
        return real_read(path, **options)

    monkeypatch.setattr(engine, "read_source", read)
    extractor, backend = counting()
    outcomes = list(run_batch(extractor, api.batch_items([folder]), out=out))
    assert sorted((o.id, o.status) for o in outcomes) == [("fast", "ok"), ("slow", "ok")]
    assert len(backend.calls) == 2


# 3. Ids: unique, the stem when it is ----------------------------------------------------------


def test_files_sharing_a_stem_get_distinct_ids_and_a_rerun_skips_both(tmp_path: Path) -> None:
    for folder, name, body in [("a", "x.txt", "Gunmen killed 3 in Gao."),
                               ("b", "x.txt", "Soldiers killed 4 in Mopti."),
                               ("c", "y.txt", "Rebels killed 5 in Kidal.")]:  # fmt: skip
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(body)
    paths = [tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "a" / "x.txt"]
    items = api.batch_items(paths)
    assert [(i.id, i.path) for i in items] == [
        ("a/x", tmp_path / "a" / "x.txt"),
        ("b/x", tmp_path / "b" / "x.txt"),
        ("y", tmp_path / "c" / "y.txt"),
    ], "a file named twice is one item"
    out = tmp_path / "results.jsonl"
    extractor, backend = counting()
    assert sorted(o.id for o in run_batch(extractor, items, out=out)) == ["a/x", "b/x", "y"]
    assert list(run_batch(extractor, api.batch_items(paths), out=out)) == []
    assert len(backend.calls) == 3


def test_ids_without_a_collision_are_the_stems_as_before(tmp_path: Path) -> None:
    seeds = ROOT / "seeds"
    assert [i.id for i in api.batch_items([seeds])] == sorted(p.stem for p in seeds.glob("*.txt"))
    (tmp_path / "x.txt").write_text("one")
    (tmp_path / "x.md").write_text("two")
    items = api.batch_items([tmp_path / "x.txt", tmp_path / "x.md"])
    assert [i.id for i in items] == ["x.txt", "x.md"]


def test_repeated_ids_in_a_list_are_refused_before_any_call() -> None:
    extractor, backend = counting()
    items = [("a", "Gunmen killed 3 in Gao."), ("b", "Rebels killed 5."), ("a", "Other text.")]
    with pytest.raises(InputError) as caught:
        list(run_batch(extractor, items))
    assert str(caught.value) == "item 3 repeats the id 'a' of an earlier item; ids must be unique"
    assert backend.calls == []


def test_a_repeated_id_in_a_stream_stops_it_keeping_what_was_done(tmp_path: Path) -> None:
    extractor, backend = counting()
    out = tmp_path / "results.jsonl"
    stream = iter([("a", "Gunmen killed 3 in Gao."), ("b", "Rebels killed 5."), ("a", "Other.")])
    seen: list[str] = []
    with pytest.raises(InputError, match="item 3 repeats the id 'a' of an earlier item"):
        seen.extend(o.id for o in run_batch(extractor, stream, out=out))
    assert sorted(seen) == sorted(output_ids(out)) == ["a", "b"]
    assert len(backend.calls) == 2


# 8. A UTF-8 byte-order mark on batch output: merge, eval, report, resume ---------------------


def test_a_byte_order_mark_is_accepted_by_every_reader(tmp_path: Path) -> None:
    seeds, plain, bom = ROOT / "seeds", tmp_path / "plain.jsonl", tmp_path / "bom.jsonl"
    extractor, backend = counting()
    list(run_batch(extractor, api.batch_items([seeds]), out=plain))
    bom.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    runner = CliRunner()
    for name, args in {
        "merge": ["merge", "{}", "--out", str(tmp_path / "m-{}"), "--no-geocode"],
        "eval": ["eval", "--gold", str(ROOT / "tests" / "gold"), "--pred", "{}", "--json"],
        "report": ["report", "{}", "--articles", str(seeds), "--out", str(tmp_path / "r-{}")],
    }.items():
        outputs = []
        for file in (plain, bom):
            result = runner.invoke(main, [a.format(file.name if "-{}" in a else file)
                                          for a in args])  # fmt: skip
            assert result.exit_code == 0, (name, result.stderr)
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1], name
    assert (tmp_path / "m-bom.jsonl").read_text() == (tmp_path / "m-plain.jsonl").read_text()
    document = json.loads(plain.read_text().splitlines()[0])
    seed = seeds / f"{document['id']}.txt"
    verified = []
    for name, prefix in [("plain.json", ""), ("bom.json", "\ufeff")]:
        (tmp_path / name).write_text(prefix + json.dumps(document), encoding="utf-8")
        result = runner.invoke(main, ["verify", str(tmp_path / name), "--source", str(seed)])
        assert result.exit_code in (0, 1) and result.stderr == "", result.stderr
        verified.append((result.exit_code, result.stdout))
    assert verified[0] == verified[1]
    assert list(run_batch(extractor, api.batch_items([seeds]), out=bom)) == []
    assert len(backend.calls) == 5, "resuming from the BOM file redid nothing"


# 12. An outage stops the batch; the same command resumes -----------------------------------


@pytest.fixture
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    from functools import partial

    from llm_extract.backends import openai_compat, retry

    async def instant(seconds: float) -> None:
        return None

    fast = partial(retry.awith_transport_retries, sleep=instant)
    monkeypatch.setattr(openai_compat, "awith_transport_retries", fast)


@pytest.mark.timeout(60)
def test_an_outage_stops_new_articles_after_n_failures_in_a_row(
    tmp_path: Path, no_waits: None
) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 10)
    down = Reply(503, api_error(503, "Service Unavailable", "server_error").body)
    with FaultServer(default=down) as server:
        result = CliRunner().invoke(
            main, [*batch_args(folder, out, f"{server.url}/v1"), "--max-consecutive-failures", "3"]
        )
        attempted = sorted(set(references(server)))
    assert result.exit_code == 4, result.stderr
    assert attempted == ["a000", "a001", "a002"]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(line["id"], line["status"]) for line in lines] == [
        ("a000", "error"), ("a001", "error"), ("a002", "error")
    ], "articles not started are not written"  # fmt: skip
    *notes, summary, stopped = result.stderr.strip().splitlines()
    heads = [note.split(":")[0] for note in notes if ": failed: " in note]
    assert heads == ["a000", "a001", "a002"]
    assert summary.startswith("0 done, 3 failed, 7 not started; ")
    assert stopped.startswith("stopped: the endpoint failed 3 requests in a row (last: ")
    assert stopped.endswith("); no new article was started, and the same command resumes")
    with FaultServer(default=Reply(200, VALID)) as server:
        again = CliRunner().invoke(main, batch_args(folder, out, f"{server.url}/v1"))
        assert len(server.requests) == 10
    assert again.exit_code == 0, again.stderr
    assert "10 done, 0 failed" in again.stderr


@pytest.mark.timeout(30)
def test_an_answer_resets_the_count_and_the_default_is_ten() -> None:
    assert BatchOptions().max_consecutive_failures == 10
    backend = CountingBackend(fail_on="FAIL")
    extractor = Extractor(Settings(use_cache=False), backend=backend)
    pattern = "FFSFFSFFSF"  # never three failures in a row
    items = [(f"i{n}", f"Gunmen killed {n} in Gao. {'FAIL' if c == 'F' else ''}")
             for n, c in enumerate(pattern)]  # fmt: skip
    options = BatchOptions(concurrency=1, workers=0, max_consecutive_failures=3)
    run = BatchRun(extractor, items, options=options)
    assert len(list(_drive(run))) == 10
    assert (run.summary.stop_cause, len(backend.calls)) == (None, 10)

    backend = CountingBackend(fail_on="FAIL")
    extractor = Extractor(Settings(use_cache=False), backend=backend)
    items = [(f"j{n}", f"Gunmen killed {n} in Gao. FAIL") for n in range(6)]
    run = BatchRun(extractor, items, options=options)
    assert len(list(_drive(run))) == 3
    assert (run.summary.stop_cause, run.summary.not_started, len(backend.calls)) == (
        "failures", 3, 3
    )  # fmt: skip


def _drive(run: BatchRun) -> list[Any]:
    return list(iterate_in_thread(run))
