"""Batch files for a cluster of one's own: the request JSONL `vllm run-batch -i` reads,
written here, and the output JSONL it writes (`-o`) read back into --out.

The lines are the Batch API's (batch_lines.py builds and settles both), so an answer
file is validated, verified, enriched, cached and appended exactly as the Batch API's
answers are. Articles already in --out or in the cache get no request line (cache hits
go straight to --out); articles without an answer line are left for a later file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from llm_extract.backends.batch_api import AnswerLine
from llm_extract.batch.batch_lines import Deferred, Lines, Planned, RemoteSummary, RetryVia
from llm_extract.batch.items import BatchItem, BatchOptions, as_items, check_new_id
from llm_extract.batch.remote import read_answer_file
from llm_extract.batch.request_files import RequestFiles
from llm_extract.core.errors import InputError
from llm_extract.core.results import ItemError
from llm_extract.extraction.extractor import Extractor
from llm_extract.io.result_log import ResultLog

VIA = "batch-file"
UNLIMITED = 2**62  # one file: a server of one's own takes any size


class _Walk:
    """What both directions share: the output file, the budget, the walk over items."""

    def __init__(
        self,
        extractor: Extractor,
        options: BatchOptions | None,
        retry: RetryVia,
        notify: Callable[[str], None],
    ) -> None:
        self.summary = RemoteSummary()
        self.options = options or BatchOptions()
        self.lines = Lines(
            extractor, self.options, via=VIA, retry=retry, summary=self.summary, notify=notify
        )
        self.extractor = extractor
        self.done: set[str] = set()

    async def planned(
        self, items: Iterable[BatchItem | str | tuple[str, str]], log: ResultLog
    ) -> list[Planned]:
        """Items not done in --out and not answered here (input errors and cache hits
        are appended now), each with its request line."""
        self.done = done = log.done_ids() if self.options.resume else set()
        seen: set[str] = set()
        found = []
        for item in as_items(items):
            self.summary.total += 1
            check_new_id(item.id, seen, self.summary.total)
            if item.id in done:
                self.summary.skipped += 1
                continue
            planned = await self.lines.plan(item)
            if isinstance(planned, Planned):
                found.append(planned)
            else:
                await self.lines.emit(log, planned)
        return found

    async def close(self, started: float) -> RemoteSummary:
        await self.extractor.aclose()
        self.lines.finish()
        self.summary.elapsed_s = time.perf_counter() - started
        return self.summary


async def write_requests(
    extractor: Extractor,
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: Path,
    requests: Path,
    options: BatchOptions | None = None,
    notify: Callable[[str], None] = lambda line: None,
) -> RemoteSummary:
    """Write one request line per article still to do into `requests` (replaced whole,
    never half written); `summary.sent` says how many."""
    if requests.resolve() == out.resolve():  # before _Walk: a refusal holds no backend
        raise InputError("--requests and --out must be different files")
    started = time.perf_counter()
    walk = _Walk(extractor, options, "live", notify)
    log = ResultLog(out)
    files = RequestFiles(lambda model: requests, max_lines=UNLIMITED, max_bytes=UNLIMITED)
    try:
        for planned in await walk.planned(items, log):
            if walk.lines.may_plan(planned):
                files.add(planned.custom_id, planned.line)
                walk.summary.sent += 1
        if not files.close():
            requests.write_bytes(b"")  # nothing left to ask: an empty file says so
    except BaseException:
        files.abandon()
        raise
    finally:
        log.close()
        await walk.close(started)
    return walk.summary


async def read_answers(
    extractor: Extractor,
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: Path,
    answers: Path,
    options: BatchOptions | None = None,
    retry: RetryVia = "live",
    notify: Callable[[str], None] = lambda line: None,
) -> RemoteSummary:
    """Settle each answer line of `answers` into `out`. With `retry="batch"`, an answer
    that failed or did not validate becomes an error line, asked again by the next
    requests file; `summary.waiting` counts articles the file does not answer."""
    if not answers.is_file():  # before _Walk: a refusal holds no backend
        raise InputError(f"{answers} is not a file; give the output JSONL of the batch run")
    started = time.perf_counter()
    walk = _Walk(extractor, options, retry, notify)
    log = ResultLog(out)
    try:
        pending = {planned.custom_id: planned.item for planned in await walk.planned(items, log)}

        def matched() -> Iterator[tuple[str, BatchItem, AnswerLine | None]]:
            for answer in read_answer_file(answers):
                item = pending.pop(answer.custom_id, None)
                if item is None:  # an article done already is no surprise
                    walk.summary.unknown += answer.custom_id.partition(":")[2] not in walk.done
                    continue
                walk.summary.answered += 1
                yield answer.custom_id, item, answer

        later: list[tuple[BatchItem, Deferred]] = []
        await walk.lines.settle_all(
            matched(), round=0, log=log, deferred=lambda _, item, exc: later.append((item, exc))
        )
        for item, exc in later:  # an error line: not done, so the next file asks again
            message = f"{exc.reason}; the next --requests file asks it again"
            error = ItemError(id=item.id, error_type="ValidationFailure", message=message)
            await walk.lines.emit(log, error)
        walk.summary.waiting = len(pending)
        if walk.summary.unknown:
            notify(
                f"{walk.summary.unknown} answer(s) in {answers.name} match no article still to "
                "do with these settings (another --model, --prompt or sampling option, "
                "another batch's file, or a line repeated)"
            )
    finally:
        log.close()
        await walk.close(started)
    return walk.summary
