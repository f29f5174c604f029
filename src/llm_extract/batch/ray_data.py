"""Ray Data: a Dataset of articles through the batch engine, one Extractor per Ray worker.

Each batch Ray hands a worker is one BatchRun over the batch's rows, driven as
`extract_batch` drives it (drivers.iterate_in_thread): the same concurrent requests,
validation and re-asks, verification, enrichment and cache. Rows are read by the corpus
reader's own rules (io/corpus.py: column names in any case, ISO or RFC 2822 dates, url,
outlet and title into provenance, a row without text is its own error), so a Dataset
gives, row for row, the JSON lines `llm-extract batch corpus.jsonl --out` writes.

Ray is imported only when a function here is called, never when llm_extract is: it is
an optional extra (`pip install 'llm-extract[ray]'`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from llm_extract.batch.drivers import iterate_in_thread
from llm_extract.batch.engine import BatchRun
from llm_extract.batch.inputs import row_item
from llm_extract.batch.items import BatchItem, BatchOptions, check_new_id
from llm_extract.core.errors import ConfigError, InputError
from llm_extract.core.results import ItemError, Outcome
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.io.corpus import Corpus, CorpusFields, CorpusRow, resolve_fields
from llm_extract.io.corpus_formats import Numbered, Record
from llm_extract.text.article import sha256_text

if TYPE_CHECKING:
    import pyarrow
    from ray.data import Dataset

RESULT_COLUMNS = ("id", "status", "result")
"""The output Dataset's columns: `result` is the JSON line the live batch's --out holds."""
DATASET_NAME = "dataset"  # what row messages call the input; a row without an id: dataset:<hash>
NOT_STARTED = "NotStarted"  # error_type of a row its batch stopped before (an outage)
# Per-run state the engine rebuilds for every BatchRun: on Ray that is every batch, so a
# budget or rate limit would hold per batch of rows, not per worker or per job.
PER_RUN_ONLY = ("requests_per_minute", "tokens_per_minute", "max_tokens_total", "max_cost")

log = logging.getLogger(__name__)


def require_ray() -> ModuleType:
    """Ray Data, or one line saying which extra installs it."""
    try:
        import ray.data
    except ImportError:
        raise ConfigError(
            "Ray Data is not installed: pip install 'llm-extract[ray]' (ray[data])"
        ) from None
    return ray


def worker_options(options: BatchOptions | None, concurrency: int) -> BatchOptions:
    """The options each worker's runs get; refused (ConfigError) when they hold limits
    that would silently reset with every batch of rows. Verification stays in the
    worker's process unless `options.workers` says otherwise: Ray is already one
    process per CPU, and a pool started per batch would pay its imports every batch."""
    chosen = options or BatchOptions(concurrency=concurrency, workers=0)
    if chosen.workers is None:
        chosen = dataclasses.replace(chosen, workers=0)
    if given := [name for name in PER_RUN_ONLY if getattr(chosen, name) is not None]:
        raise ConfigError(
            f"{', '.join(given)}: on Ray each batch of rows is its own run, so a rate limit "
            "or budget would reset with every batch; bound the load with concurrency x "
            "workers instead"
        )
    return chosen


class _Rows:
    """A batch's records as a corpus table (io/corpus_formats.Table), numbered from 1."""

    def __init__(self, columns: Sequence[str], records: list[dict[str, Any]]) -> None:
        self._columns, self._records = list(columns), records

    def columns(self) -> list[str]:
        return self._columns

    def records(self, wanted: Sequence[str]) -> Iterator[Numbered]:
        yield from enumerate(self._records, start=1)


class _BatchCorpus(Corpus):
    """One batch of Dataset rows, read by Corpus's own row rules (not a file)."""

    def __init__(self, table: _Rows, chosen: CorpusFields) -> None:
        self.path, self.name, self.prefix = Path(DATASET_NAME), DATASET_NAME, DATASET_NAME
        self._table = table
        self.columns, self.detected = resolve_fields(table.columns(), chosen, DATASET_NAME)

    def _id(self, number: int, record: Record) -> str:
        """A row without an id is named by its text, not its place in a batch: batches
        are numbered from 1 each, so "dataset:<n>" would repeat across them."""
        found = super()._id(number, record)
        if found != f"{self.prefix}:{number}":
            return found
        column = self.columns["text"]
        text = str(record.get(column) or "") if record is not None and column else ""
        return f"{self.prefix}:{sha256_text(text)[:16]}"


class ExtractBatches:
    """Ray Data's callable class: built once per worker (one Extractor, so one HTTP
    client, prompt and cache handle), called once per batch of rows."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        fields: CorpusFields | None = None,
    ) -> None:
        self.extractor = Extractor(settings)
        self.options = options
        self.fields = fields or CorpusFields()

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        import pyarrow

        corpus = _BatchCorpus(_Rows(batch.column_names, batch.to_pylist()), self.fields)
        rows = list(corpus.rows())
        outcomes = self.outcomes(rows)
        ordered = [outcomes[position] for position in range(len(rows))]
        values = (
            [outcome.id for outcome in ordered],
            [outcome.status for outcome in ordered],
            [outcome.model_dump_json() for outcome in ordered],  # as BatchRun._append writes
        )
        return pyarrow.table(
            {
                name: pyarrow.array(column, pyarrow.string())
                for name, column in zip(RESULT_COLUMNS, values, strict=True)
            }
        )

    def outcomes(self, rows: list[CorpusRow]) -> dict[int, Outcome]:
        """Each row's outcome by its position: every row gets one, none is lost.

        A row repeating an id earlier in its batch is an error row (the live batch
        refuses the whole list before any call; here the other rows go on), and a row
        the run stopped before (an outage) is an error row naming why."""
        seen: set[str] = set()
        items: dict[int, BatchItem] = {}
        done: dict[int, Outcome] = {}
        for position, row in enumerate(rows):
            if row.warning:
                log.warning("%s", row.warning)
            try:
                check_new_id(row.id, seen, position + 1)
            except InputError as exc:
                done[position] = ItemError(id=row.id, error_type="InputError", message=str(exc))
                continue
            items[position] = row_item(row)
        run = BatchRun(self.extractor, list(items.values()), options=self.options)
        by_id = {outcome.id: outcome for outcome in iterate_in_thread(run)}
        reason = run.summary.stopped or "the batch stopped before this row started"
        for position, item in items.items():
            done[position] = by_id.get(item.id) or ItemError(
                id=item.id, error_type=NOT_STARTED, message=reason
            )
        return done


def map_dataset(
    dataset: Dataset,
    *,
    settings: Settings,
    concurrency: int = 8,
    batch_size: int = 64,
    workers: int | tuple[int, int] | None = None,
    options: BatchOptions | None = None,
    fields: CorpusFields | None = None,
    num_cpus: float = 1.0,
) -> Dataset:
    """A lazy Dataset of (id, status, result) rows, one per input row; see
    interfaces/api.extract_dataset."""
    chosen = worker_options(options, concurrency)
    ray = require_ray()
    if (schema := dataset.schema(fetch_if_missing=False)) is not None:
        resolve_fields(schema.names, fields or CorpusFields(), DATASET_NAME)  # no text: now
    if workers is None:
        compute = ray.data.ActorPoolStrategy(min_size=1, max_size=None)
    elif isinstance(workers, tuple):
        compute = ray.data.ActorPoolStrategy(min_size=workers[0], max_size=workers[1])
    else:
        compute = ray.data.ActorPoolStrategy(size=workers)
    return dataset.map_batches(
        ExtractBatches,
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=compute,
        num_cpus=num_cpus,
        fn_constructor_kwargs={"settings": settings, "options": chosen, "fields": fields},
        udf_modifying_row_count=False,
    )
