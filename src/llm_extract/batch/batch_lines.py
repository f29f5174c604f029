"""One article as one batch line, and its answer back into a result: what the Batch
API and batch files (vLLM's `run-batch`) share.

Both directions go through the extractor's own session (Extractor.aextract with its
`call` hook), so nothing of the live path is written twice: asked for its request, the
session renders the prompt as a live batch would and the line's body is the request
the live backend would post; given the answer, the session validates, verifies,
enriches and caches it exactly as a live answer. A cache hit never becomes a line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from llm_extract.backends import ModelReply, ModelRequest, QuestionJob
from llm_extract.backends.batch_api import (
    AnswerLine,
    Invalid,
    judge,
    openai_backend,
    request_line,
)
from llm_extract.batch.engine import CHARS_PER_TOKEN, article_of, item_error
from llm_extract.batch.items import BatchItem, BatchOptions, BatchSummary, StopCause
from llm_extract.batch.limits import Budget, batch_prices, live_prices
from llm_extract.core.articles import Article
from llm_extract.core.errors import (
    BackendError,
    ConfigError,
    InputError,
    LLMExtractError,
    TransportError,
)
from llm_extract.core.results import ItemError, Outcome, Usage
from llm_extract.extraction.extractor import Extractor
from llm_extract.io.articles import read_source
from llm_extract.io.result_log import ResultLog

RetryVia = Literal["live", "batch"]
"""Answers that failed or did not validate: asked again live (within the re-ask
budget), or in a follow-up batch."""
KEY_CHARS = 20  # of the cache key in a custom_id: enough to tell settings apart
GROUNDED_REFUSAL = (
    "--via {via} sends each article as one request; the grounded strategy asks many "
    "questions per article, which cannot be one batch line: use --strategy whole (or auto)"
)


def custom_id(item_id: str, cache_key: str) -> str:
    """A line's id: the article's cache key (so an answer asked under other settings
    never lands on this article) and its id."""
    return f"{cache_key[:KEY_CHARS]}:{item_id}"


@dataclass
class RemoteSummary(BatchSummary):
    """A batch summary plus what batch lines add."""

    sent: int = 0  # request lines submitted (Batch API) or written (batch file)
    batches: int = 0  # batches submitted this run
    answered: int = 0  # answer lines read back for articles of this run
    retried_live: int = 0  # articles whose failed or invalid answer was asked again live
    deferred: int = 0  # left for a follow-up batch or the next requests file
    waiting: int = 0  # sent, not answered (yet)
    unknown: int = 0  # answers matching no article under these settings
    batch_cost: float = 0.0  # of `cost`, what batch answers cost at batch rates


@dataclass(frozen=True)
class Planned:
    item: BatchItem
    custom_id: str
    line: dict[str, Any]


class Deferred(Exception):
    """The answer is to be asked again in a batch: `request` is what to ask."""

    def __init__(self, reason: str, request: ModelRequest) -> None:
        super().__init__(reason)
        self.reason, self.request = reason, request


class _Captured(Exception):
    def __init__(self, request: ModelRequest | QuestionJob) -> None:
        super().__init__("captured")
        self.request = request


class _NotStarted(Exception):
    """A budget ran out before the article's live retry: it is left for a rerun."""


async def _capture(request: ModelRequest | QuestionJob) -> ModelReply:
    raise _Captured(request)


class Lines:
    """Plans and settles batch lines for one run: the budget (batch answers at batch
    rates, live retries at live ones), the summary, and the output file's appends."""

    def __init__(
        self,
        extractor: Extractor,
        options: BatchOptions,
        *,
        via: str,
        retry: RetryVia,
        summary: RemoteSummary,
        notify: Callable[[str], None],
    ) -> None:
        self.extractor, self.options, self.via, self.retry = extractor, options, via, retry
        self.summary, self.notify = summary, notify
        self.backend = openai_backend(extractor.backend, via)
        if extractor.strategy != "whole":
            raise ConfigError(GROUNDED_REFUSAL.format(via=via))
        model, given = self.backend.model, options.prices
        self.planned = Budget(
            options.max_tokens_total, options.max_cost, batch_prices(model, given)
        )
        self.answers = Budget(prices=batch_prices(model, given))
        self.live = Budget(prices=live_prices(model, options.prices))
        self._slots = asyncio.Semaphore(options.concurrency)

    async def plan(self, item: BatchItem) -> Planned | Outcome:
        """The item's request line, or its outcome already (an input error, a cache hit)."""
        try:
            article = await self._article(item)
            return await self.extractor.aextract(article, call=_capture)
        except _Captured as captured:
            request = captured.request
            if not isinstance(request, ModelRequest):
                raise ConfigError(GROUNDED_REFUSAL.format(via=self.via)) from None
            # The session's own key: the one definition of what changes an answer.
            key = self.extractor.cache_key(article)
            line_id = custom_id(item.id, key)
            return Planned(item, line_id, request_line(line_id, request, self.backend))
        except LLMExtractError as exc:
            return item_error(item.id, exc)

    def follow_up(self, line_id: str, request: ModelRequest) -> dict[str, Any]:
        """The line that asks `request` again in a follow-up batch."""
        return request_line(line_id, request, self.backend)

    def may_plan(self, planned: Planned) -> bool:
        """Whether the budget (estimated at batch rates) lets this line go out."""
        if reason := self.planned.exhausted():
            self.note_stop(reason, "budget")
            self.summary.not_started += 1
            return False
        body = planned.line["body"]
        prompt = len(json.dumps(body)) // CHARS_PER_TOKEN  # as the live engine estimates
        answer = int(body.get("max_tokens") or 0)
        self.planned.spend(
            Usage(prompt_tokens=prompt, completion_tokens=answer, total_tokens=prompt + answer)
        )
        return True

    async def settle(self, item: BatchItem, answer: AnswerLine | None, *, round: int) -> Outcome:
        """The item's outcome from its answer (None: the batch ended without one).

        Raises Deferred when the answer is to be asked again in a batch, _NotStarted when
        a budget leaves its live retry unstarted."""
        left = self.extractor.settings.max_validation_retries - round
        first = True

        async def call(request: ModelRequest | QuestionJob) -> ModelReply:
            nonlocal first
            if not first:  # --policy reask's follow-ups go live, as in a live batch
                return await self._live(request)
            first = False
            if not isinstance(request, ModelRequest):
                raise ConfigError(GROUNDED_REFUSAL.format(via=self.via))
            if answer is None or answer.completion is None:
                why = answer.error if answer and answer.error else "the batch ended without it"
                return await self._again(request, f"no answer: {why}", left)
            try:
                reply = judge(answer.completion, _with_reasks(request, left), self.backend)
            except BackendError as exc:
                self.answers.spend(exc.usage or Usage())
                if not isinstance(exc, Invalid):
                    raise
                again = await self._again(exc.reask, str(exc), left)
                return ModelReply(value=again.value, usage=exc.usage + again.usage)
            self.answers.spend(reply.usage)
            return reply

        try:
            article = await self._article(item)
            return await self.extractor.aextract(article, call=call)
        except (Deferred, _NotStarted):
            raise
        except LLMExtractError as exc:
            return item_error(item.id, exc)
        except Exception as exc:  # one bad answer never stops the others
            return ItemError(id=item.id, error_type=type(exc).__name__, message=str(exc))

    async def settle_all(
        self,
        answers: Iterable[tuple[str, BatchItem, AnswerLine | None]],
        *,
        round: int,
        log: ResultLog,
        deferred: Callable[[str, BatchItem, Deferred], None],
    ) -> None:
        """Settle (custom_id, item, answer) triples `concurrency` at a time, each outcome
        appended as it is ready; `deferred` gets what is to be asked in a batch again."""

        async def one(line_id: str, item: BatchItem, answer: AnswerLine | None) -> None:
            try:
                await self.emit(log, await self.settle(item, answer, round=round))
            except Deferred as exc:
                self.summary.deferred += 1
                deferred(line_id, item, exc)
            except _NotStarted as exc:
                self.note_stop(str(exc), "budget")
                self.summary.not_started += 1
            finally:
                slots.release()

        slots = asyncio.Semaphore(self.options.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        try:
            for line_id, item, answer in answers:
                await slots.acquire()
                task = asyncio.create_task(one(line_id, item, answer))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            if tasks:
                await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()

    async def emit(self, log: ResultLog, outcome: Outcome) -> None:
        """Append one outcome to --out (synced), then count it."""
        await asyncio.to_thread(log.write, outcome.model_dump_json())
        self.summary.count(outcome)

    def finish(self) -> None:
        """The summary's usage and cost: batch answers at batch rates, live at live."""
        answers, live = self.answers.usage or Usage(), self.live.usage or Usage()
        self.summary.usage = answers + live
        self.summary.batch_cost = self.answers.cost
        self.summary.cost = self.answers.cost + self.live.cost

    def note_stop(self, reason: str, cause: StopCause) -> None:
        if self.summary.stopped is None:
            self.summary.stopped, self.summary.stop_cause = reason, cause

    async def _again(self, request: ModelRequest, reason: str, left: int) -> ModelReply:
        """Ask a failed or invalid answer again: live now, or in the next batch."""
        if self.retry == "batch":
            if left < 1:
                raise TransportError(f"{reason} (no batch round left of the re-ask budget)")
            raise Deferred(reason, request)
        self.summary.retried_live += 1
        return await self._live(request, first=True)

    async def _live(
        self, request: ModelRequest | QuestionJob, *, first: bool = False
    ) -> ModelReply:
        """One live request through the backend, `concurrency` at a time, metered. An
        article's first live request does not start once a budget is spent."""
        if first and (reason := self._exhausted()):
            raise _NotStarted(reason)
        async with self._slots:
            try:
                reply = await self.backend.acomplete(request)
            except BackendError as exc:
                self.live.spend(exc.usage or Usage())
                raise
        self.live.spend(reply.usage)
        return reply

    def _exhausted(self) -> str | None:
        """The run's budget over batch answers and live requests together."""
        max_tokens, max_cost = self.options.max_tokens_total, self.options.max_cost
        tokens = (self.answers.usage or Usage()).total_tokens + (
            self.live.usage or Usage()
        ).total_tokens
        cost = self.answers.cost + self.live.cost
        if max_tokens is not None and tokens >= max_tokens:
            return f"token budget reached ({tokens:,} of {max_tokens:,})"
        if max_cost is not None and cost >= max_cost:
            return f"cost budget reached (${cost:.4f} of ${max_cost:.4f})"
        return None

    async def _article(self, item: BatchItem) -> Article:
        if item.error is not None:
            raise InputError(item.error)
        if item.text is not None:
            return article_of(item, item.text, item.id)
        if item.path is None:
            raise InputError(f"item {item.id!r} has neither text nor path")
        max_chars = self.extractor.settings.max_chars
        text = await asyncio.to_thread(
            read_source, item.path, max_chars=max_chars, encoding=item.encoding
        )
        return article_of(item, text, str(item.path))


def _with_reasks(request: ModelRequest, left: int) -> ModelRequest:
    """The request as judged in a follow-up round: fewer re-asks left."""
    allowed = max(0, min(left, request.max_validation_retries))
    return dataclasses.replace(request, max_validation_retries=allowed)
