"""The Python API past one machine: OpenAI's Batch API, batch files for self-hosted
clusters (vLLM run-batch), and Ray Data. Re-exported by api.py, which the CLI calls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llm_extract.batch import batch_file
from llm_extract.batch.batch_lines import GROUNDED_REFUSAL, RemoteSummary, RetryVia
from llm_extract.batch.drivers import collector_tuned
from llm_extract.batch.items import BatchItem, BatchOptions
from llm_extract.batch.ray_data import map_dataset
from llm_extract.batch.remote import RemoteOptions, RemoteRun, look_at_batches
from llm_extract.batch.remote_state import Part as BatchPart
from llm_extract.core.errors import ConfigError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.extractors import get_extractor, merged_settings, to_stderr
from llm_extract.io.corpus import CorpusFields

if TYPE_CHECKING:
    from ray.data import Dataset


def extract_dataset(
    dataset: Dataset,
    *,
    concurrency: int = 8,
    batch_size: int = 64,
    workers: int | tuple[int, int] | None = None,
    options: BatchOptions | None = None,
    fields: CorpusFields | None = None,
    settings: Settings | None = None,
    **settings_options: Any,
) -> Dataset:
    """`extract_batch` over a Ray Data Dataset of articles, on the cluster Ray is
    connected to (`ray.init(address=...)` first; a local one otherwise).

    Rows are read as corpus rows (text, id, date/published, url, title, outlet, in any
    case; `fields` names other columns); ids should be unique. Returns a lazy Dataset
    with one row per input row: `id`, `status` ("ok" or "error") and `result`, the JSON
    line `extract_batch(..., out=...)` writes for it. Each of `workers` Ray actors (an
    int, a (min, max) autoscaling range, or None: as many as the cluster gives) holds
    one Extractor and runs each batch of `batch_size` rows with `concurrency` requests
    in flight (a few batches' worth of rows per worker keeps its requests busy).
    Budgets and rate limits in `options` are refused (ConfigError): each batch is its
    own run. Needs the `ray` extra (ConfigError without it)."""
    chosen = merged_settings(settings, settings_options)
    return map_dataset(dataset, settings=chosen, concurrency=concurrency, batch_size=batch_size,
                       workers=workers, options=options, fields=fields)  # fmt: skip


def _single_call(settings: Settings | None, options: dict[str, Any], via: str) -> Extractor:
    """The extractor for batch lines: the openai backend and the single-call ("whole")
    strategy, which `auto` means here; an explicit grounded is refused."""
    chosen = merged_settings(settings, options)
    if chosen.strategy == "grounded":
        raise ConfigError(GROUNDED_REFUSAL.format(via=via))
    fixed = {"strategy": "whole", "backend": chosen.backend or "openai"}
    return get_extractor(merged_settings(chosen, fixed))


def extract_batch_api(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: str | Path,
    options: BatchOptions | None = None,
    remote: RemoteOptions | None = None,
    settings: Settings | None = None,
    notify: Callable[[str], None] | None = None,
    **settings_options: Any,
) -> RemoteSummary:
    """Extract many articles through OpenAI's Batch API (half price, within 24 hours),
    into the same JSONL `extract_batch` writes, and return the summary when every batch
    is collected.

    Cache hits and ids already in `out` are never sent. The state beside `out`
    (`batch_state_path(out)`) names every batch before and after it is submitted, so
    the same call after a kill collects them and submits nothing twice. `remote` sets
    the file split, polling and `retry` ("live": failed or invalid answers asked again
    live within the re-ask budget; "batch": in a follow-up batch). Budgets in `options`
    price batch answers at half the live price. `notify` gets the progress lines
    (default: standard error). Refused with ConfigError for the grounded strategy."""
    extractor = _single_call(settings, settings_options, "batch-api")
    run = RemoteRun(
        extractor, items, out=Path(out), options=options, remote=remote, notify=notify or to_stderr
    )
    with collector_tuned():
        return asyncio.run(run.run())


def batch_api_status(
    out: str | Path, *, settings: Settings | None = None, **settings_options: Any
) -> list[BatchPart]:
    """The batches writing `out`, each open one's status fetched from the API."""
    extractor = _single_call(settings, settings_options, "batch-api")
    return look_at_batches(extractor, Path(out))


def cancel_batch_api(
    out: str | Path, *, settings: Settings | None = None, **settings_options: Any
) -> list[BatchPart]:
    """Cancel every unfinished batch writing `out`. The next `extract_batch_api` into it
    collects what they finished and asks the rest again (its `retry`)."""
    extractor = _single_call(settings, settings_options, "batch-api")
    return look_at_batches(extractor, Path(out), cancel=True)


def write_batch_requests(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: str | Path,
    requests: str | Path,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
    notify: Callable[[str], None] | None = None,
    **settings_options: Any,
) -> RemoteSummary:
    """Write the request JSONL `vllm run-batch -i` reads (and OpenAI's Batch API takes):
    one line per article not in `out` and not cached (cache hits go to `out` now)."""
    extractor = _single_call(settings, settings_options, "batch-file")
    run = batch_file.write_requests(
        extractor,
        items,
        out=Path(out),
        requests=Path(requests),
        options=options,
        notify=notify or to_stderr,
    )
    return asyncio.run(run)


def read_batch_answers(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: str | Path,
    answers: str | Path,
    options: BatchOptions | None = None,
    retry: RetryVia = "live",
    settings: Settings | None = None,
    notify: Callable[[str], None] | None = None,
    **settings_options: Any,
) -> RemoteSummary:
    """Read the output JSONL `vllm run-batch -o` wrote for `write_batch_requests`' file
    (the same items and settings) into `out`, validated, verified and cached as live
    answers are. `retry="live"` asks failed or invalid answers again at the configured
    endpoint; "batch" leaves them as error lines for the next requests file."""
    extractor = _single_call(settings, settings_options, "batch-file")
    run = batch_file.read_answers(
        extractor,
        items,
        out=Path(out),
        answers=Path(answers),
        options=options,
        retry=retry,
        notify=notify or to_stderr,
    )
    with collector_tuned():
        return asyncio.run(run)
