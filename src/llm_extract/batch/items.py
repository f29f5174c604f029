"""What a batch is given and what it reports: items, options, the running summary."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.core.results import ItemError, Outcome, Usage

EventKind = Literal["started", "finished", "skipped", "stopped"]
StopCause = Literal["budget", "failures", "output"]
"""Why a batch stopped before its end: a budget was spent, the endpoint failed
`max_consecutive_failures` times in a row, or the output file could not be written."""
STOP_RANK: dict[StopCause, int] = {"budget": 0, "failures": 1, "output": 2}  # which to report
DEFAULT_MAX_CONSECUTIVE_FAILURES = 10


@dataclass(frozen=True)
class BatchItem:
    """An article given as text or as a path to read (read errors stay per item).

    `source` (a corpus row's url, outlet, title, date) goes into its result's
    provenance; `error` says why an item is unusable before anything is read (a corpus
    row without text): it becomes that item's error line."""

    id: str
    text: str | None = None
    path: Path | None = None
    encoding: str | None = None
    published: date | None = None
    source: ArticleSource | None = None
    error: str | None = None


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
    # Requests failing in a row on transport (after their retries) before no new article
    # starts: an outage would otherwise cost every remaining article its retries.
    # None or 0: never stop.
    max_consecutive_failures: int | None = DEFAULT_MAX_CONSECUTIVE_FAILURES
    # Wait for another batch holding the output file's lock, instead of refusing.
    wait_lock: bool = False


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
    not_started: int = 0  # left when the batch stopped early (not in the output)
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    stopped: str | None = None  # why, in one line
    stop_cause: StopCause | None = None
    elapsed_s: float = 0.0
    # done, yet no incident though the article reports violence (each result says why)
    empty: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        """Tally one outcome written to the output: the one rule every path follows."""
        if isinstance(outcome, ItemError):
            self.failed += 1
            return
        self.done += 1
        self.cached += outcome.cached
        if outcome.empty_reason:
            self.empty.append(outcome.id)


def as_items(items: Iterable[BatchItem | str | tuple[str, str]]) -> Iterator[BatchItem]:
    """Accept BatchItems, (id, text) pairs, or bare texts (numbered from 0)."""
    for index, item in enumerate(items):
        if isinstance(item, BatchItem):
            yield item
        elif isinstance(item, tuple):
            yield BatchItem(id=str(item[0]), text=item[1])
        else:
            yield BatchItem(id=str(index), text=item)


def check_new_id(item_id: str, seen: set[str], position: int) -> None:
    """Two items with one id would shadow each other in the output: refused."""
    if item_id in seen:
        raise InputError(
            f"item {position} repeats the id {item_id!r} of an earlier item; ids must be unique"
        )
    seen.add(item_id)


def refuse_repeated_ids(items: Sequence[BatchItem | str | tuple[str, str]]) -> None:
    """A list is checked whole before anything starts, so no model call is made."""
    seen: set[str] = set()
    for position, item in enumerate(as_items(items), start=1):
        check_new_id(item.id, seen, position)
