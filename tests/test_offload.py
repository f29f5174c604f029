"""Verification in worker processes: the same answers as in place; a job that fails
fails alone, and a worker that dies or never starts leaves its jobs to be verified in
place instead of hanging or failing the batch."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from llm_extract import BatchOptions, extract_batch
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult
from llm_extract.extraction.offload import VerifyJob, VerifyPool, VerifyWorkerError, run_verify
from tests.conftest import SEEDS, seed_text
from tests.doubles import recorded_answer
from tests.fault_server import FaultServer, Reply
from tests.test_batch_engine import VALID, articles, endpoint

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

RECORD_JSON = ArticleExtraction.model_validate(recorded_answer()[0]).model_dump_json()


def job(text: str, record_json: str = RECORD_JSON) -> VerifyJob:
    return VerifyJob(record_json=record_json, text=text, published=None, policy="flag",
                     aliases=(), geocode=False, gazetteers=())  # fmt: skip


def comparable(result: ExtractionResult) -> dict[str, object]:
    """Everything verification decides; ids, timings and provenance dates aside."""
    return result.model_dump(mode="json", include={"record", "verification", "places"})


def test_workers_give_exactly_the_in_place_results() -> None:
    items = articles(12)
    runs = {}
    for workers in (0, 2):
        with FaultServer(default=Reply(200, VALID)) as server:
            options = BatchOptions(concurrency=4, workers=workers)
            found = extract_batch(items, options=options, **endpoint(server))
            runs[workers] = {o.id: comparable(o) for o in found if isinstance(o, ExtractionResult)}
    assert len(runs[0]) == len(items)
    assert runs[0] == runs[2]
    summary = next(iter(runs[2].values()))["verification"]["summary"]  # type: ignore[index]
    assert summary["total"] > 0 and summary["unsupported"] > 0


async def until_ready(pool: VerifyPool) -> None:
    """Jobs go to workers only once they have started; tests about workers wait."""
    for _ in range(600):
        if pool._started and all(w.ready for w in pool._started):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the workers never became ready")


def test_jobs_before_the_workers_are_ready_are_verified_in_place() -> None:
    text = seed_text("004_b565bea953493acf.txt")

    async def scenario() -> tuple[list[str], bool]:
        pool = VerifyPool(1)
        try:
            early = await pool.run(job(text))  # the worker is still importing
            was_ready = pool._started[0].ready
            await until_ready(pool)
            late = await pool.run(job(text))
            return [early.model_dump_json(), late.model_dump_json()], was_ready
        finally:
            await pool.aclose()

    answers, was_ready = asyncio.run(scenario())
    assert not was_ready, "the first job did not wait ~0.5 s for the worker's imports"
    assert answers == [run_verify(job(text)).model_dump_json()] * 2


def test_closing_kills_a_worker_still_starting_and_lets_a_ready_one_exit() -> None:
    """A batch's end must not wait for imports nobody will use (~0.4 s)."""
    text = seed_text("004_b565bea953493acf.txt")

    async def scenario() -> tuple[bool, int | None, int | None]:
        starting, ready = VerifyPool(1), VerifyPool(1)
        await starting.run(job(text))
        was_ready = starting._started[0].ready
        process = starting._started[0].process
        await starting.aclose()
        await ready.run(job(text))
        await until_ready(ready)
        await ready.run(job(text))
        finished = ready._started[0].process
        await ready.aclose()
        return was_ready, process.returncode, finished.returncode

    was_ready, killed, exited = asyncio.run(scenario())
    assert not was_ready
    assert killed == -signal.SIGKILL
    assert exited == 0


def test_a_job_that_fails_in_the_worker_fails_alone() -> None:
    async def scenario() -> tuple[str, int]:
        pool = VerifyPool(1)
        try:
            await pool.run(job(seed_text("001_42dbdfaf130e5adc.txt")))
            await until_ready(pool)
            with pytest.raises(VerifyWorkerError) as failed:
                await pool.run(job(seed_text("000_16f55f85dcef49e5.txt"), record_json="{}"))
            fine = await pool.run(job(seed_text("001_42dbdfaf130e5adc.txt")))
        finally:
            await pool.aclose()
        return str(failed.value), fine.verification.summary.total

    message, total = asyncio.run(scenario())
    assert "ValidationError" in message and "incidents" in message
    assert total > 0, "the worker went on to the next job"


def test_a_worker_that_dies_leaves_its_jobs_to_be_verified_in_place() -> None:
    text = seed_text("002_478af1d20671a3e8.txt")

    async def scenario() -> tuple[str, str | None]:
        pool = VerifyPool(1)
        try:
            await pool.run(job(seed_text("001_42dbdfaf130e5adc.txt")))  # starts the worker
            await until_ready(pool)
            pool._started[0].process.kill()
            await asyncio.wait_for(pool._started[0].process.wait(), timeout=10)
            answer = await asyncio.wait_for(pool.run(job(text)), timeout=30)
        finally:
            await pool.aclose()
        return answer.model_dump_json(), pool.broken

    answer, broken = asyncio.run(scenario())
    assert answer == run_verify(job(text)).model_dump_json()
    assert broken and "exited" in broken


def test_a_worker_that_cannot_start_leaves_everything_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    text = seed_text("003_880e22595b6a996f.txt")

    async def scenario() -> str:
        pool = VerifyPool(2)
        try:
            return (await pool.run(job(text))).model_dump_json()
        finally:
            await pool.aclose()

    assert asyncio.run(scenario()) == run_verify(job(text)).model_dump_json()


def test_in_place_and_worker_answers_match_on_every_seed() -> None:
    async def in_workers(jobs: list[VerifyJob]) -> list[str]:
        pool = VerifyPool(2)
        try:
            await pool.run(jobs[0])
            await until_ready(pool)
            answers = await asyncio.gather(*(pool.run(j) for j in jobs))
        finally:
            await pool.aclose()
        return [a.model_dump_json() for a in answers]

    jobs = [job(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]
    in_place = [run_verify(j).model_dump_json() for j in jobs]
    assert asyncio.run(in_workers(jobs)) == in_place
    assert len({json.loads(a)["verification"]["summary"]["supported"] for a in in_place}) > 1


def test_worker_entry_point_is_a_module(tmp_path: Path) -> None:
    """The pool starts `python -m llm_extract.extraction.verify_worker`: it must exist and
    answer a job line with a reply line."""
    line = b"7 " + TypeAdapter(VerifyJob).dump_json(job("Mali.")) + b"\n"
    done = subprocess.run([sys.executable, "-m", "llm_extract.extraction.verify_worker"],
                          input=line, capture_output=True, timeout=60, cwd=tmp_path)  # fmt: skip
    ready, answer = done.stdout.splitlines()
    reply = json.loads(answer)
    assert (
        done.returncode == 0
        and ready == b"ready"
        and reply["id"] == 7
        and reply["result"]["verification"]
    )
