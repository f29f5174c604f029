"""Running a BatchRun: from synchronous code (a worker thread with its own event loop),
and the process-wide collector tuning a driver applies around it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import queue
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from llm_extract.batch.engine import BatchRun
from llm_extract.batch.items import BatchItem, BatchOptions
from llm_extract.core.results import Outcome
from llm_extract.extraction.extractor import Extractor

GC_YOUNG_THRESHOLD = 10_000  # allocations between young collections during a batch


@contextlib.contextmanager
def collector_tuned() -> Iterator[None]:
    """Garbage collection for the length of a batch, restored after it.

    What exists when the batch starts (modules, schemas, the caller's data) lives
    through it: frozen out of the collector's sight, each collection scans only the
    batch's own objects instead of the whole heap, and a higher young threshold makes
    young collections rarer (bench/batch.py measures both)."""
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def iterate_in_thread(run: BatchRun) -> Iterator[Outcome]:
    """Drive a BatchRun on its own event loop in a worker thread, yielding here.

    Lets the sync API stream outcomes while the engine stays asyncio; closing the
    iterator early stops the batch (finished records are already written).
    """
    handoff: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=run.options.concurrency * 2)
    stop = threading.Event()

    async def pump() -> None:
        agen = run.run()
        try:
            async for outcome in agen:
                while not stop.is_set():
                    try:
                        handoff.put(("item", outcome), timeout=0.1)
                        break
                    except queue.Full:
                        await asyncio.sleep(0)
                if stop.is_set():
                    break
        finally:
            await agen.aclose()

    def worker() -> None:
        try:
            with collector_tuned():
                asyncio.run(pump())
            handoff.put(("end", None))
        except BaseException as exc:  # surfaced in the consuming thread
            handoff.put(("error", exc))

    thread = threading.Thread(target=worker, name="llm-extract-batch", daemon=True)
    thread.start()
    try:
        while True:
            kind, payload = handoff.get()
            if kind == "item":
                yield payload  # type: ignore[misc]
            elif kind == "error":
                raise payload  # type: ignore[misc]
            else:
                return
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                handoff.get_nowait()
        thread.join(timeout=30)


def run_batch(
    extractor: Extractor,
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    concurrency: int = 8,
    out: Path | None = None,
    options: BatchOptions | None = None,
) -> Iterator[Outcome]:
    """Synchronous iteration over a batch's outcomes, in completion order."""
    chosen = options or BatchOptions(concurrency=concurrency)
    return iterate_in_thread(BatchRun(extractor, items, options=chosen, out=out))
