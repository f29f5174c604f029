"""Many articles through OpenAI's Batch API: half the price, answers within 24 hours.

A run plans (each article not in --out and not in the cache becomes a request line;
cache hits go straight to --out), records its request files in the state file beside
--out before anything is uploaded, submits each file (state saved after each step),
polls with capped exponential backoff, and settles each batch's answers as it
finishes: every answer line is validated, verified, enriched, cached and appended to
--out by the extractor's own session (batch_lines.py). Answers that failed or did not
validate are asked again live within the re-ask budget, or in a follow-up batch.

Killed at any point, the same command resumes: it collects the batches the state file
names and submits nothing twice.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from llm_extract.backends.batch_api import (
    AnswerLine,
    BatchAPI,
    RemoteBatch,
    openai_backend,
    parse_answer_line,
)
from llm_extract.batch.batch_lines import Deferred, Lines, Planned, RemoteSummary, RetryVia
from llm_extract.batch.items import BatchItem, BatchOptions, as_items, check_new_id
from llm_extract.batch.remote_state import (
    BatchState,
    Part,
    load_state,
    parts_folder,
    save_state,
    state_path,
)
from llm_extract.batch.request_files import (
    MAX_BYTES_PER_FILE,
    MAX_LINES_PER_FILE,
    RequestFile,
    RequestFiles,
)
from llm_extract.core.errors import InputError
from llm_extract.extraction.extractor import Extractor
from llm_extract.io.jsonl import raw_lines
from llm_extract.io.result_log import ResultLog

VIA = "batch-api"


@dataclass
class RemoteOptions:
    """How a Batch API run splits, polls and retries."""

    retry: RetryVia = "live"
    max_lines: int = MAX_LINES_PER_FILE
    max_bytes: int = MAX_BYTES_PER_FILE
    poll_s: float = 10.0  # first wait between two looks at the batches
    max_poll_s: float = 300.0  # the wait doubles up to this


class RemoteRun:
    """One Batch API run over `items` into `out`; `run()` returns its summary."""

    def __init__(
        self,
        extractor: Extractor,
        items: Iterable[BatchItem | str | tuple[str, str]],
        *,
        out: Path,
        options: BatchOptions | None = None,
        remote: RemoteOptions | None = None,
        notify: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.extractor, self.items, self.out = extractor, items, out
        self.options = options or BatchOptions()
        self.remote = remote or RemoteOptions()
        self.notify = notify
        self.summary = RemoteSummary()
        self.state_file, self.folder = state_path(out), parts_folder(out)
        self._pending: dict[str, BatchItem] = {}  # custom_id: the article waiting for it
        self._uploaded_before: set[str] = set()  # parts uploaded by an earlier run

    async def run(self) -> RemoteSummary:
        started = time.perf_counter()
        log = await asyncio.to_thread(ResultLog, self.out)
        lines: Lines | None = None
        try:
            lines = Lines(
                self.extractor,
                self.options,
                via=VIA,
                retry=self.remote.retry,
                summary=self.summary,
                notify=self.notify,
            )
            api = BatchAPI(lines.backend)
            state = self._state(api)
            await self._plan(lines, log, state)
            await self._submit(api, state)
            await self._collect(api, lines, log, state)
        finally:
            log.close()
            await self.extractor.aclose()
            if lines is not None:
                lines.finish()
            self.summary.elapsed_s = time.perf_counter() - started
        return self.summary

    def _state(self, api: BatchAPI) -> BatchState:
        state = load_state(self.state_file)
        if state is None:
            return BatchState(endpoint=api.endpoint)
        if state.endpoint != api.endpoint:
            raise InputError(
                f"{self.state_file} names batches at {state.endpoint}, not {api.endpoint}; "
                "use the same --base-url, or another --out"
            )
        self._uploaded_before = {p.name for p in state.parts if p.input_file_id}
        return state

    async def _plan(self, lines: Lines, log: ResultLog, state: BatchState) -> None:
        """Every item: skipped (done), answered (input error, cache hit), waiting for a
        batch already made, or a new request line. The state is saved before any upload."""
        done = log.done_ids() if self.options.resume else set()
        waiting = state.waiting()
        files = self._files(state)
        seen: set[str] = set()
        try:
            for item in as_items(self.items):
                self.summary.total += 1
                check_new_id(item.id, seen, self.summary.total)
                if item.id in done:
                    self.summary.skipped += 1
                    continue
                planned = await lines.plan(item)
                if not isinstance(planned, Planned):
                    await lines.emit(log, planned)
                elif planned.custom_id in waiting:
                    self._pending[planned.custom_id] = item
                elif lines.may_plan(planned):
                    files.add(planned.custom_id, planned.line)
                    self._pending[planned.custom_id] = item
        except BaseException:
            files.abandon()
            raise
        self._record(state, files.close(), round=0)

    def _files(self, state: BatchState) -> RequestFiles:
        numbers = itertools.count(len(state.parts) + 1)
        return RequestFiles(
            lambda model: self.folder / f"part-{next(numbers):04d}.requests.jsonl",
            max_lines=self.remote.max_lines,
            max_bytes=self.remote.max_bytes,
        )

    def _record(self, state: BatchState, written: list[RequestFile], *, round: int) -> None:
        for file in written:
            name = file.path.name.removesuffix(".requests.jsonl")
            state.parts.append(
                Part(
                    name=name,
                    model=file.model,
                    round=round,
                    lines=file.lines,
                    bytes=file.bytes,
                    custom_ids=file.custom_ids,
                )
            )
        save_state(state, self.state_file)

    async def _submit(self, api: BatchAPI, state: BatchState) -> None:
        """Upload and submit each part not yet submitted, the state saved after each."""
        for part in state.open_parts():
            if part.stage == "written":
                path = self.folder / part.requests_file
                part.input_file_id = await asyncio.to_thread(api.upload, path)
                part.stage = "uploaded"
                save_state(state, self.state_file)
            if part.stage != "uploaded":
                continue
            assert part.input_file_id is not None
            batch = None
            if part.name in self._uploaded_before:  # killed between upload and record?
                batch = await asyncio.to_thread(api.find, part.input_file_id)
            if batch is None:
                metadata = {"llm_extract_part": part.name, "llm_extract_out": self.out.name}
                batch = await asyncio.to_thread(api.submit, part.input_file_id, metadata)
                self.summary.batches += 1
                self.summary.sent += part.lines
            part.batch_id, part.stage = batch.id, "submitted"
            _update(part, batch)
            save_state(state, self.state_file)
            self.notify(f"{part.name}: {part.lines} requests ({part.model}) in batch {batch.id}")

    async def _collect(
        self, api: BatchAPI, lines: Lines, log: ResultLog, state: BatchState
    ) -> None:
        """Look at the batches until each has finished and is settled."""
        delay = self.remote.poll_s
        while submitted := [p for p in state.open_parts() if p.stage == "submitted"]:
            for part in submitted:
                assert part.batch_id is not None
                batch = await asyncio.to_thread(api.status, part.batch_id)
                _update(part, batch)
                if batch.finished:
                    await self._settle(api, lines, log, state, part, batch)
            self.notify(progress_line(state.open_parts()))
            await self._submit(api, state)  # follow-up batches, if any
            if any(p.stage == "submitted" and not _finished(p) for p in state.open_parts()):
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.remote.max_poll_s)
        self.summary.waiting = len(self._pending)

    async def _settle(
        self,
        api: BatchAPI,
        lines: Lines,
        log: ResultLog,
        state: BatchState,
        part: Part,
        batch: RemoteBatch,
    ) -> None:
        """A finished batch's answers (its partial output, if it expired or was
        cancelled) into --out; what it did not answer is asked again."""
        if batch.problem:
            self.notify(f"{part.name}: batch {batch.id} {batch.status}: {batch.problem}")
        owned = {cid for cid in part.custom_ids if cid in self._pending}
        downloads = []
        for kind, file_id in (("output", batch.output_file_id), ("errors", batch.error_file_id)):
            if file_id:
                target = self.folder / f"{part.name}.{kind}.jsonl"
                await asyncio.to_thread(api.download, file_id, target)
                downloads.append(target)
        answered: set[str] = set()
        follow_ups = self._files(state)
        again: dict[str, BatchItem] = {}

        def defer(line_id: str, item: BatchItem, deferred: Deferred) -> None:
            follow_ups.add(line_id, lines.follow_up(line_id, deferred.request))
            again[line_id] = item

        def answers() -> Iterator[tuple[str, BatchItem, AnswerLine | None]]:
            for path in downloads:
                for answer in read_answer_file(path):
                    if answer.custom_id in owned and answer.custom_id not in answered:
                        answered.add(answer.custom_id)
                        self.summary.answered += 1
                        yield answer.custom_id, self._pending[answer.custom_id], answer
            for line_id in sorted(owned - answered):
                yield line_id, self._pending[line_id], None

        try:
            await lines.settle_all(answers(), round=part.round, log=log, deferred=defer)
        except BaseException:
            follow_ups.abandon()
            raise
        for line_id in owned:
            del self._pending[line_id]
        self._pending.update(again)
        part.stage = "collected"
        self._record(state, follow_ups.close(), round=part.round + 1)
        _remove(self.folder / part.requests_file, *downloads)


def _update(part: Part, batch: RemoteBatch) -> None:
    part.status, part.completed, part.failed = batch.status, batch.completed, batch.failed


def _finished(part: Part) -> bool:
    return part.status in ("completed", "expired", "cancelled", "failed")


def progress_line(parts: list[Part]) -> str:
    """One line per look: each open batch's status and request counts."""
    if not parts:
        return "batch-api: every batch collected"
    shown = [
        f"{p.name} {p.status or p.stage} {p.completed}/{p.lines} done"
        + (f", {p.failed} failed" if p.failed else "")
        for p in parts
    ]
    return "batch-api: " + "; ".join(shown)


def read_answer_file(path: Path) -> Iterator[AnswerLine]:
    """Each answer line of a downloaded output or error file (or a batch-file answer
    file), read with io/jsonl.py's bounds; blank lines skipped."""
    with path.open("rb") as handle:
        for number, raw in raw_lines(handle, str(path)):
            if raw.strip():
                yield parse_answer_line(raw, f"{path}:{number}")


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
    folder = paths[0].parent
    if folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def look_at_batches(extractor: Extractor, out: Path, *, cancel: bool = False) -> list[Part]:
    """Every part of the state beside `out`, each open batch's status fetched (and with
    `cancel`, each unfinished one cancelled). The state file is left to the run that
    owns it: its next look sees the same."""
    path = state_path(out)
    state = load_state(path)
    if state is None:
        raise InputError(f"no batch state beside {out} ({path.name}): nothing was submitted for it")
    api = BatchAPI(openai_backend(extractor.backend, VIA))
    if state.endpoint != api.endpoint:
        raise InputError(f"{path} names batches at {state.endpoint}; use that --base-url")
    for part in state.open_parts():
        if part.batch_id is None:
            continue
        call = api.cancel if cancel and not _finished(part) else api.status
        _update(part, call(part.batch_id))
    return state.parts
