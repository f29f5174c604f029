"""Many articles at once: bounded concurrency, one outcome per item, JSONL as it comes.

A failing article becomes an ItemError line and the batch goes on. Each line is
written and flushed as soon as its item finishes, so an interrupted batch keeps every
result it had.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from llm_extract.core.errors import BackendError, LLMExtractError
from llm_extract.core.results import ExtractionResult, ItemError, Usage
from llm_extract.pipeline.extract import Extractor
from llm_extract.pipeline.sources import read_source

Outcome = ExtractionResult | ItemError


@dataclass(frozen=True)
class BatchItem:
    """An article given as text or as a path to read (read errors stay per item)."""

    id: str
    text: str | None = None
    path: Path | None = None
    encoding: str | None = None
    published: date | None = None


def as_items(items: Iterable[BatchItem | str | tuple[str, str]]) -> Iterator[BatchItem]:
    """Accept BatchItems, (id, text) pairs, or bare texts (numbered from 0)."""
    for index, item in enumerate(items):
        if isinstance(item, BatchItem):
            yield item
        elif isinstance(item, tuple):
            yield BatchItem(id=str(item[0]), text=item[1])
        else:
            yield BatchItem(id=str(index), text=item)


def _run_one(extractor: Extractor, item: BatchItem) -> Outcome:
    try:
        if item.text is not None:
            text, name = item.text, item.id
        elif item.path is not None:
            max_chars = extractor.settings.max_chars
            text = read_source(item.path, max_chars=max_chars, encoding=item.encoding)
            name = str(item.path)
        else:
            raise LLMExtractError("item has neither text nor path")
        return extractor.extract(text, id=item.id, name=name, published=item.published)
    except LLMExtractError as exc:
        usage = (
            exc.usage if isinstance(exc, BackendError) and isinstance(exc.usage, Usage) else Usage()
        )
        return ItemError(id=item.id, error_type=type(exc).__name__, message=str(exc), usage=usage)
    except Exception as exc:  # one bad article never stops the batch
        return ItemError(id=item.id, error_type=type(exc).__name__, message=str(exc) or repr(exc))


def run_batch(
    extractor: Extractor,
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    concurrency: int = 4,
    out: Path | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Yield outcomes in completion order, appending each to `out` as one JSON line."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    sink: IO[str] | None = out.open("a", encoding="utf-8") if out else None
    pending: set[Future[Outcome]] = set()
    source = as_items(items)
    try:
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="llm-extract") as pool:
            for item in source:
                pending.add(pool.submit(_run_one, extractor, item))
                if len(pending) >= concurrency:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from _finish(done, sink, on_outcome)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from _finish(done, sink, on_outcome)
    finally:
        for future in pending:
            future.cancel()
        if sink:
            sink.close()


def _finish(
    done: set[Future[Outcome]], sink: IO[str] | None, on_outcome: Callable[[Outcome], None] | None
) -> Iterator[Outcome]:
    for future in done:
        outcome = future.result()
        if sink:
            write_jsonl_line(sink, outcome)
        if on_outcome:
            on_outcome(outcome)
        yield outcome


def write_jsonl_line(sink: IO[str], outcome: Outcome) -> None:
    """One whole line per write, flushed and synced, so a crash never tears a record."""
    sink.write(json.dumps(outcome.model_dump(mode="json"), ensure_ascii=False) + "\n")
    sink.flush()
    os.fsync(sink.fileno())
