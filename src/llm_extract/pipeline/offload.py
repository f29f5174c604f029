"""Verification as a job that can run in another process.

Verifying one article costs ~2 ms of CPU, as much as everything else the batch does
for it; on one core that, not the endpoint, capped a batch at two thirds of what 64
requests in flight can deliver. The job carries only plain, picklable values (the
record as JSON, the article, the options), so the batch engine can hand it to worker
processes while a single extraction runs it in place.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.verification import Policy, VerificationReport
from llm_extract.pipeline.enrich import geocode_record, load_gazetteer
from llm_extract.pipeline.verify import verify_record
from llm_extract.text.grounding import Document
from llm_extract.text.names import AliasTable


class Verified(BaseModel):
    """What verification adds to a model's record."""

    record: ArticleExtraction
    verification: VerificationReport
    places: list[GeocodedPlace]


@dataclass(frozen=True)
class VerifyJob:
    record_json: str
    text: str  # the article as the user gave it: offsets point into it
    published: date | None
    policy: Policy
    aliases: tuple[Path, ...]  # extra alias files, beyond the packaged table
    geocode: bool
    gazetteers: tuple[Path, ...]


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
    return Verified(record=final, verification=report, places=places)


def run_verify_json(job: VerifyJob) -> str:
    """In a worker: the answer crosses back as JSON, cheaper than pickled models."""
    return run_verify(job).model_dump_json()


def _ignore_interrupts() -> None:
    """Ctrl-C is the batch's to handle: workers must not die with tracebacks of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class VerifyPool:
    """Worker processes for VerifyJobs, started on first use (a batch of cache hits never
    starts one) from a fork server, so a worker starts in milliseconds once the server
    is up and never inherits the event loop's threads."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    async def run(self, job: VerifyJob) -> Verified:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_ignore_interrupts
            )
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(self._executor, run_verify_json, job)
        return Verified.model_validate_json(answer)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
