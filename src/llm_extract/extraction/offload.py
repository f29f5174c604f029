"""Verification as a job that can run in another process.

Verifying one article costs as much CPU as everything else the batch does for it;
on one core that, not the endpoint, capped a batch well below what many requests in
flight can deliver (bench/batch.py measures it). The job carries only plain values (the
record as JSON, the article, the options), so the batch engine can hand it to worker
processes while a single extraction runs it in place.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.verification import Policy, VerificationReport
from llm_extract.extraction.silence import why_empty
from llm_extract.extraction.verify import verify_record
from llm_extract.places.enrich import geocode_record, load_gazetteer
from llm_extract.text.grounding import Document
from llm_extract.text.names import AliasTable


class Verified(BaseModel):
    """What verification adds to a model's record."""

    record: ArticleExtraction
    verification: VerificationReport
    places: list[GeocodedPlace]
    empty_reason: str | None = None


@dataclass(frozen=True)
class VerifyJob:
    record_json: str
    text: str  # the article as the user gave it: offsets point into it
    published: date | None
    policy: Policy
    aliases: tuple[Path, ...]  # extra alias files, beyond the packaged table
    geocode: bool
    gazetteers: tuple[Path, ...]


MAX_REPLY_BYTES = 64 * 1024 * 1024  # one verified record per line
READY = b"ready\n"


@cache
def _aliases(extra: tuple[Path, ...]) -> AliasTable:
    return AliasTable.load(*extra)


def run_verify(
    job: VerifyJob, aliases: AliasTable | None = None, document: Document | None = None
) -> Verified:
    """`aliases` / `document`: the caller's own, when it has them already."""
    record = ArticleExtraction.model_validate_json(job.record_json)
    if document is None:
        document = Document.from_text(job.text, job.published, aliases or _aliases(job.aliases))
    final, report = verify_record(record, document, job.policy)
    places = geocode_record(final, load_gazetteer(job.gazetteers)) if job.geocode else []
    return Verified(
        record=final, verification=report, places=places, empty_reason=why_empty(document, final)
    )


_JOBS: TypeAdapter[VerifyJob] = TypeAdapter(VerifyJob)


class _Reply(BaseModel):
    id: int
    result: Verified | None = None
    error: str | None = None


class VerifyWorkerError(RuntimeError):
    """Verifying one item failed in a worker; the item fails with this cause."""


class _WorkerExited(Exception):
    """The worker process is gone: its jobs are verified in place instead."""


class _NotReady(Exception):
    """No worker has finished starting yet: this job is verified in place."""


def serve() -> None:
    """A worker: one job per line on stdin ("<number> <job JSON>"), one JSON reply per
    line on stdout, until stdin closes (the batch ended, or its process died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    out = sys.stdout.buffer
    out.write(READY)  # imports done: jobs sent from now on do not wait for them
    out.flush()
    for line in sys.stdin.buffer:
        head, _, body = line.partition(b" ")
        number = int(head) if head.isdigit() else -1
        try:
            verified = run_verify(_JOBS.validate_json(body)).model_dump_json().encode()
            answer = b'{"id":%d,"result":%s}' % (number, verified)
        except Exception as exc:  # reported per job: one bad record never stops the worker
            answer = _Reply(id=number, error=f"{type(exc).__name__}: {exc}").model_dump_json()
            answer = answer.encode()
        out.write(answer + b"\n")
        out.flush()


@dataclass
class _Worker:
    process: asyncio.subprocess.Process
    pending: dict[int, asyncio.Future[Verified]] = field(default_factory=dict)
    reader: asyncio.Task[None] | None = None
    ready: bool = False


class VerifyPool:
    """Worker processes for VerifyJobs, spoken to over pipes from the event loop.

    Plain subprocesses running `python -m llm_extract.extraction.verify_worker`, not a
    multiprocessing pool: those re-import the caller's main script in every worker (an
    unguarded script would run again) or fork a process whose loop runs in a thread.
    Started by `start()` or on first use, so a batch of cache hits starts none; a
    worker exits when its stdin closes, so one whose batch was killed does not linger.
    Until a worker has finished its imports jobs are verified in place, so a
    short batch is never slower for having workers. Should a worker fail to start or
    die, its jobs and all later ones are verified in place: slower, never lost.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._started: list[_Worker] = []
        self._starting: asyncio.Future[None] | None = None
        self._numbers = itertools.count()
        self.broken: str | None = None  # why jobs are verified in place, if they are

    def start(self) -> None:
        """Start the workers without waiting for them: a batch calls this with its first
        request, so their imports overlap the wait for its answer."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._spawn_all())

    async def _spawn_all(self) -> None:
        for _ in range(self.workers):
            self._started.append(await self._spawn())

    async def run(self, job: VerifyJob) -> Verified:
        try:
            return await self._in_worker(job)
        except _NotReady:
            return run_verify(job)
        except (_WorkerExited, OSError) as exc:
            self.broken = self.broken or f"verification worker unavailable ({exc})"
            return run_verify(job)

    async def _in_worker(self, job: VerifyJob) -> Verified:
        if self.broken:
            raise _WorkerExited(self.broken)
        self.start()
        assert self._starting is not None
        await asyncio.shield(self._starting)
        live = [w for w in self._started if w.reader is not None and not w.reader.done()]
        if not live:
            raise _WorkerExited("every worker has exited")
        ready = [w for w in live if w.ready]
        if not ready:
            raise _NotReady
        worker = min(ready, key=lambda w: len(w.pending))
        assert worker.process.stdin is not None
        number = next(self._numbers)
        future: asyncio.Future[Verified] = asyncio.get_running_loop().create_future()
        worker.pending[number] = future
        worker.process.stdin.write(b"%d %s\n" % (number, _JOBS.dump_json(job)))
        await worker.process.stdin.drain()
        return await future

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "llm_extract.extraction.verify_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=MAX_REPLY_BYTES,
        )
        worker = _Worker(process)
        worker.reader = asyncio.create_task(self._read(worker))
        return worker

    async def _read(self, worker: _Worker) -> None:
        assert worker.process.stdout is not None
        try:
            worker.ready = await worker.process.stdout.readline() == READY
            while worker.ready and (line := await worker.process.stdout.readline()):
                reply = _Reply.model_validate_json(line)
                future = worker.pending.pop(reply.id, None)
                if future is None or future.done():
                    continue
                if reply.result is not None:
                    future.set_result(reply.result)
                else:
                    future.set_exception(VerifyWorkerError(reply.error or "no result"))
        finally:
            for future in worker.pending.values():
                if not future.done():
                    future.set_exception(_WorkerExited("the worker exited"))
            worker.pending.clear()

    async def aclose(self) -> None:
        if self._starting is not None:
            await asyncio.gather(self._starting, return_exceptions=True)
        for worker in self._started:
            if not worker.ready and worker.process.returncode is None:
                worker.process.kill()  # still importing, so it holds no job: no need to wait
            elif worker.process.stdin is not None:
                worker.process.stdin.close()
        for worker in self._started:
            try:
                await asyncio.wait_for(worker.process.wait(), timeout=5)
            except TimeoutError:
                worker.process.kill()
                await worker.process.wait()
            if worker.reader is not None:
                await worker.reader
        self._started = []
