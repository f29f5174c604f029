"""What a batch is given and what it reports: items, options, the running summary."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from llm_extract.core.results import Usage

EventKind = Literal["started", "finished", "skipped", "stopped"]


@dataclass(frozen=True)
class BatchItem:
    """An article given as text or as a path to read (read errors stay per item)."""

    id: str
    text: str | None = None
    path: Path | None = None
    encoding: str | None = None
    published: date | None = None


@dataclass
class BatchOptions:
    concurrency: int = 8
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    max_tokens_total: int | None = None
    max_cost: float | None = None
    prices: tuple[float, float] | None = None  # USD per million tokens (in, out)
    resume: bool = True
    # Processes verifying answers beside the event loop; None: one per spare core (at
    # most 4), 0: verify in the event loop's own process.
    workers: int | None = None


def default_workers() -> int:
    return max(0, min((os.cpu_count() or 1) - 1, 4))


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0
    failed: int = 0
    cached: int = 0
    duplicates: int = 0
    skipped: int = 0  # already in the output from an earlier run
    not_started: int = 0  # left when a budget stopped the batch
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    stopped: str | None = None
    elapsed_s: float = 0.0


def as_items(items: Iterable[BatchItem | str | tuple[str, str]]) -> Iterator[BatchItem]:
    """Accept BatchItems, (id, text) pairs, or bare texts (numbered from 0)."""
    for index, item in enumerate(items):
        if isinstance(item, BatchItem):
            yield item
        elif isinstance(item, tuple):
            yield BatchItem(id=str(item[0]), text=item[1])
        else:
            yield BatchItem(id=str(index), text=item)
