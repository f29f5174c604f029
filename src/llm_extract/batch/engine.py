"""Many articles at once: an asyncio engine with bounded concurrency, rate limits,
budgets, de-duplication and resume, streaming each outcome as it finishes.

Every outcome is appended to the output JSONL before it is yielded, so whatever
stops the batch (Ctrl-C, kill -9, a budget, an outage, a full disk) loses no finished
record; running the same command again skips the ids already done. Article files are
read in a worker thread: a slow file never holds up the requests in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path

from llm_extract.backends import ModelReply, ModelRequest, QuestionJob
from llm_extract.batch.items import (
    STOP_RANK,
    BatchItem,
    BatchOptions,
    BatchSummary,
    EventKind,
    StopCause,
    as_items,
    check_new_id,
    default_workers,
    refuse_repeated_ids,
)
from llm_extract.batch.limits import PRICES_PER_MILLION, Budget, RateLimiter
from llm_extract.batch.recent import RECENT_BYTES, Recent
from llm_extract.core.articles import Article
from llm_extract.core.errors import (
    BackendError,
    InputError,
    LLMExtractError,
    OutputError,
    TransportError,
)
from llm_extract.core.results import ExtractionResult, ItemError, Outcome, Usage
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.offload import VerifyPool
from llm_extract.io.articles import read_source
from llm_extract.io.result_log import OutputLocked, ResultLog
from llm_extract.text.article import normalize_article, sha256_text

CHARS_PER_TOKEN = 4  # for the tokens-per-minute estimate before the real usage is known
# Cache hits answered in a row before the consumer and in-flight requests get a turn.
# Small on purpose: results waiting in the queue count against the collector's
# threshold, and at 64 in a row collections took a sixth of the time of a hit.
YIELD_EVERY = 4
ARTICLES_PER_REQUEST_SLOT = 2  # articles under way per request the endpoint may hold
SEND_TURNS = 3  # event-loop turns a reply waits for the next request to be sent
LOCK_POLL_S = 0.2  # with wait_lock, how often a locked output file is tried again


class BatchRun:
    """One batch. Iterate `run()` for outcomes; `summary` is complete when it ends."""

    def __init__(
        self,
        extractor: Extractor,
        items: Iterable[BatchItem | str | tuple[str, str]],
        *,
        options: BatchOptions | None = None,
        out: Path | None = None,
        on_event: Callable[[EventKind, BatchSummary, Outcome | None], None] | None = None,
    ) -> None:
        self.extractor = extractor
        self.items = items
        self.options = options or BatchOptions()
        if self.options.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.out = out
        self.on_event = on_event or (lambda kind, summary, outcome: None)
        self.summary = BatchSummary()
        self.limiter = RateLimiter(self.options.requests_per_minute, self.options.tokens_per_minute)
        self.budget = Budget(self.options.max_tokens_total, self.options.max_cost)
        self._requests = asyncio.Semaphore(self.options.concurrency)
        workers = self.options.workers
        workers = default_workers() if workers is None else workers
        self._pool = VerifyPool(workers) if workers > 0 else None
        self._in_flight: dict[str, asyncio.Future[Outcome | None]] = {}
        self._recent = Recent(RECENT_BYTES)
        self._failures_in_row = 0  # transport failures since the last answer
        self._outage: str | None = None

    async def run(self) -> AsyncIterator[Outcome]:
        """Outcomes in completion order. Drivers run it inside `collector_tuned()`
        (drivers.py); this generator changes nothing process-wide itself.

        Refused before any model call (InputError): ids that repeat in a list of items,
        and an output file that is not a regular file, not batch output, or locked by
        another batch. A write that fails mid-batch stops it and raises OutputError once
        the summary is final."""
        started = time.perf_counter()
        if isinstance(self.items, Sequence):
            refuse_repeated_ids(self.items)
        log = await self._open_log()
        # Only now the backend: a refusal above is then the only line a user sees.
        model = getattr(self.extractor.backend, "model", "")
        self.budget.prices = self.options.prices or PRICES_PER_MILLION.get(model, (0.0, 0.0))
        done_ids = log.done_ids() if log and self.options.resume else set()
        results: asyncio.Queue[Outcome | None] = asyncio.Queue()
        tasks: set[asyncio.Task[None]] = set()
        feeder = asyncio.create_task(self._schedule(done_ids, results, tasks))
        failure: OutputError | None = None
        try:
            while (outcome := await results.get()) is not None:
                if log and (failure := await self._append(log, outcome)):
                    break
                self._count(outcome)
                self.on_event("finished", self.summary, outcome)
                yield outcome
            else:
                await feeder  # re-raises what went wrong while reading the items, if anything
        finally:
            feeder.cancel()
            for task in list(tasks):
                task.cancel()
            if log:
                log.close()
            await self._close(started)
        if failure is not None:
            raise failure

    async def _open_log(self) -> ResultLog | None:
        """The output file checked and locked, scanned in a thread (it may be large);
        with `wait_lock`, a locked file is tried again until its batch ends."""
        if self.out is None:
            return None
        while True:
            opening = asyncio.ensure_future(asyncio.to_thread(ResultLog, self.out))
            try:
                return await asyncio.shield(opening)
            except OutputLocked:
                if not self.options.wait_lock:
                    raise
            except asyncio.CancelledError:  # the thread goes on: close what it opens
                opening.add_done_callback(_close_opened)
                raise
            await asyncio.sleep(LOCK_POLL_S)

    async def _append(self, log: ResultLog, outcome: Outcome) -> OutputError | None:
        """Write one outcome (fsync off the event loop: a slow disk must not stall
        requests); a failed write stops the batch, the file still valid."""
        try:
            await asyncio.to_thread(log.write, outcome.model_dump_json())
        except OSError as exc:
            reason = (
                f"cannot write to {log.path}: {exc.strerror or exc}; the records before "
                "this one are kept, and the same command resumes once it can write"
            )
            self._note_stop(reason, "output")
            return OutputError(reason)
        return None

    async def _schedule(
        self,
        done_ids: set[str],
        results: asyncio.Queue[Outcome | None],
        tasks: set[asyncio.Task[None]],
    ) -> None:
        """Start items as slots free up; None on the queue marks the end."""
        # Requests in flight are bounded in `_call`; articles under way may be more, so
        # that reading, prompting and verifying happen while the endpoint stays busy.
        slots = asyncio.Semaphore(self.options.concurrency * ARTICLES_PER_REQUEST_SLOT)

        async def work(item: BatchItem, text: str, name: str) -> None:
            try:
                if (outcome := await self._one(item, text, name)) is not None:
                    await results.put(outcome)
            finally:
                slots.release()

        answered = 0
        seen: set[str] = set()
        try:
            try:
                for item in as_items(self.items):
                    self.summary.total += 1
                    check_new_id(item.id, seen, self.summary.total)
                    if item.id in done_ids:
                        self.summary.skipped += 1
                        self.on_event("skipped", self.summary, None)
                        continue
                    ready = await self._read_or_answer(item)
                    if not isinstance(ready, tuple):  # an input error or a cache hit
                        results.put_nowait(ready)
                        answered += 1
                        if answered % YIELD_EVERY == 0:
                            await asyncio.sleep(0)
                        continue
                    await slots.acquire()
                    if stop := self._stop():
                        slots.release()
                        self._note_stop(*stop)
                        self.summary.not_started += 1
                        continue
                    task = asyncio.create_task(work(item, *ready))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    self.on_event("started", self.summary, None)
            finally:  # also when the items fail: what is under way finishes and is kept
                if tasks:
                    await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await results.put(None)

    async def _close(self, started: float) -> None:
        """Release connections and workers; the summary gets its final figures."""
        await self.extractor.aclose()
        if self._pool is not None:
            await self._pool.aclose()
        self.summary.usage = self.budget.usage or Usage()
        self.summary.cost = self.budget.cost
        self.summary.elapsed_s = time.perf_counter() - started
        self.on_event("stopped", self.summary, None)

    def _count(self, outcome: Outcome) -> None:
        self.summary.count(outcome)

    async def _read_or_answer(self, item: BatchItem) -> tuple[str, str] | Outcome:
        """The item's text and name, or its outcome already: an input error, or a cache
        hit answered here without a task, a slot or a rate-limit token. A file is read
        in a worker thread, never on the event loop."""
        if item.error is not None:
            return ItemError(id=item.id, error_type=InputError.__name__, message=item.error)
        try:
            if item.text is not None:
                text, name = item.text, item.id
            else:
                text, name = await asyncio.to_thread(self._read, item)
            if self.extractor.cache is None:
                return text, name
            hit = self.extractor.cached_result(article_of(item, text, name))
        except LLMExtractError as exc:
            return item_error(item.id, exc)
        return (text, name) if hit is None else hit

    async def _one(self, item: BatchItem, text: str, name: str) -> Outcome | None:
        """Extract one item; an identical article under way or just done is not asked
        again (later repeats find the cache, or the recent-results memory without it).
        None: a budget ran out before the item's first request, so it never started."""
        # The date is part of the key: it resolves the article's relative dates.
        key = f"{sha256_text(normalize_article(text))}|{item.published}"
        if key in self._in_flight:
            self.summary.duplicates += 1
            first = await asyncio.shield(self._in_flight[key])
            if first is None:
                self.summary.not_started += 1
                return None
            return _as_duplicate(first.model_dump_json(), type(first), item)
        if (remembered := self._recent.get(key)) is not None:
            self.summary.duplicates += 1
            kind, stored = remembered
            return _as_duplicate(stored, kind, item)
        future: asyncio.Future[Outcome | None] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        if self._pool is not None:
            self._pool.start()  # its imports overlap this article's wait for the endpoint
        sent = False

        async def call(request: ModelRequest | QuestionJob) -> ModelReply:
            nonlocal sent
            first, sent = not sent, True
            return await self._call(request, first=first)

        result: Outcome | None
        try:
            result = await self.extractor.aextract(
                article_of(item, text, name),
                call=call,
                verify=self._pool.run if self._pool else None,
            )
        except _NotStarted as stop:
            self._note_stop(stop.reason, stop.cause)
            self.summary.not_started += 1
            result = None
        except LLMExtractError as exc:
            result = item_error(item.id, exc)
        except Exception as exc:  # one bad article never stops the batch
            result = ItemError(id=item.id, error_type=type(exc).__name__, message=str(exc))
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._in_flight[key]
        future.set_result(result)
        if result is not None and self.extractor.cache is None:
            # Without a cache a later repeat is answered from here. Kept as JSON text:
            # thousands of live result objects slow every GC pass.
            self._recent.add(key, type(result), result.model_dump_json())
        return result

    def _read(self, item: BatchItem) -> tuple[str, str]:
        if item.path is None:
            raise InputError(f"item {item.id!r} has neither text nor path")
        max_chars = self.extractor.settings.max_chars
        return read_source(item.path, max_chars=max_chars, encoding=item.encoding), str(item.path)

    def _stop(self) -> tuple[str, StopCause] | None:
        """Why no new article may start (an outage, then a budget), or None."""
        if self._outage:
            return self._outage, "failures"
        if reason := self.budget.exhausted():
            return reason, "budget"
        return None

    def _note_stop(self, reason: str, cause: StopCause) -> None:
        """The summary keeps the weightiest reason: output, then failures, then budget."""
        current = self.summary.stop_cause
        if current is None or STOP_RANK[cause] >= STOP_RANK[current]:
            self.summary.stopped, self.summary.stop_cause = reason, cause

    def _transport_failed(self, exc: TransportError) -> None:
        """Count a request the endpoint failed; at the limit, no new article starts."""
        self._failures_in_row += 1
        limit = self.options.max_consecutive_failures
        if limit and self._failures_in_row >= limit and self._outage is None:
            last = " ".join(str(exc).split())[:200]
            self._outage = (
                f"the endpoint failed {self._failures_in_row} requests in a row (last: "
                f"{last}); no new article was started, and the same command resumes"
            )

    async def _call(self, request: ModelRequest | QuestionJob, *, first: bool) -> ModelReply:
        """Every model request of the batch passes here: at most `concurrency` at once,
        rate limits, then the budget. An item's first request does not start once a
        budget is spent (its re-asks do: they finish what is in flight)."""
        estimate = 0  # a question job: many small requests, settled on their usage
        if isinstance(request, ModelRequest):
            estimate = sum(len(m["content"]) for m in request.messages) // CHARS_PER_TOKEN
            estimate += int(request.sampling.get("max_tokens") or 0)
        async with self._requests:
            if first and (stop := self._stop()):
                raise _NotStarted(*stop)
            await self.limiter.acquire(estimate)
            try:
                reply = await self.extractor.backend.acomplete(request)
            except BackendError as exc:
                if exc.usage is not None:
                    self.budget.spend(exc.usage)
                    self.limiter.settle(estimate, exc.usage.total_tokens)
                if isinstance(exc, TransportError):  # counted before the slot is free
                    self._transport_failed(exc)
                raise
            self._failures_in_row = 0
        self.budget.spend(reply.usage)
        self.limiter.settle(estimate, reply.usage.total_tokens)
        # The freed slot's next request goes out before this article is verified: at
        # concurrency 1 that keeps verification off the time between two requests.
        # aiohttp writes a request's body in a task of its own a turn or two later, so
        # one turn is not enough (bench/batch.py's overhead at concurrency 1 shows it).
        if self._requests.locked():
            for _ in range(SEND_TURNS):
                await asyncio.sleep(0)
        return reply


class _NotStarted(Exception):
    """The batch stopped before an item's first request: the item never started."""

    def __init__(self, reason: str, cause: StopCause) -> None:
        super().__init__(reason)
        self.reason, self.cause = reason, cause


def _close_opened(opening: asyncio.Future[ResultLog]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()


def article_of(item: BatchItem, text: str, name: str) -> Article:
    return Article(text, item.id, name, item.published, item.source)


def _as_duplicate(stored: str, kind: type[Outcome], item: BatchItem) -> Outcome:
    """A repeat of an article answered once: its own id and source, no tokens of its own."""
    copy = kind.model_validate_json(stored)
    copy.id, copy.usage = item.id, Usage()
    if isinstance(copy, ExtractionResult):
        copy.provenance.source = item.source
    return copy


def item_error(item_id: str, exc: LLMExtractError) -> ItemError:
    usage = exc.usage if isinstance(exc, BackendError) and exc.usage is not None else Usage()
    return ItemError(id=item_id, error_type=type(exc).__name__, message=str(exc), usage=usage)
