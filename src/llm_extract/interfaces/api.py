"""The Python API: a few functions over the pipeline, nothing the CLI does not share.

The command line (interfaces/cli/) calls only this module and core/: every command is
one of these functions plus argument parsing and printing. The constants re-exported
here are the rules the CLI's help states, so help and behaviour cannot drift."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llm_extract.backends import BackendEntry, backends
from llm_extract.batch.drivers import collector_tuned, run_batch
from llm_extract.batch.engine import BatchRun
from llm_extract.batch.items import BatchItem, BatchOptions, BatchSummary, EventKind
from llm_extract.core.articles import Article
from llm_extract.core.errors import ConfigError, InputError, describe_error
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult, Outcome
from llm_extract.core.settings import DEFAULT_MAX_CHARS, Settings
from llm_extract.core.verification import Policy, VerificationReport
from llm_extract.dataset.export import export as export_rows
from llm_extract.dataset.merge import DEFAULT_TOLERANCE_DAYS, MergeOutcome, sources_from_lines
from llm_extract.dataset.merge import merge as merge_sources
from llm_extract.dataset.parquet import write_parquet
from llm_extract.dataset.rules import MIN_MATCH_FIGURE
from llm_extract.dataset.sqlite import write_sqlite
from llm_extract.dataset.tables import article_tables, incident_tables, schema_text
from llm_extract.evaluation.records import CLAIM_OVERLAP_MIN, WEIGHTS, EvaluationReport, Score
from llm_extract.evaluation.records import evaluate as score_records
from llm_extract.extraction.cache import CACHE_ENV, CacheStats, ResultCache
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.schemas import export_schemas
from llm_extract.extraction.verify import verify as run_verify
from llm_extract.io.articles import article_files, article_ids, read_source
from llm_extract.io.jsonl import json_lines, jsonl_files
from llm_extract.io.jsonl import read_json_document as read_json_document  # for cli/verify
from llm_extract.io.records import load_records, read_outcomes
from llm_extract.places.enrich import load_gazetteer
from llm_extract.review.write import Review, write_review
from llm_extract.text.names import NAME_FUZZY_MIN, AliasTable

__all__ = [
    "CACHE_ENV",
    "CLAIM_OVERLAP_MIN",
    "DATASET_FORMATS",
    "DEFAULT_TOLERANCE_DAYS",
    "MIN_MATCH_FIGURE",
    "NAME_FUZZY_MIN",
    "WEIGHTS",
    "BackendEntry",
    "BatchItem",
    "BatchOptions",
    "BatchRun",
    "BatchSummary",
    "CacheStats",
    "EvaluationReport",
    "EventKind",
    "Extractor",
    "MergeOutcome",
    "Outcome",
    "Review",
    "Score",
    "aextract_batch",
    "backends",
    "batch_items",
    "cache_stats",
    "clear_cache",
    "collector_tuned",
    "evaluate",
    "export",
    "export_dataset",
    "export_schemas",
    "extract",
    "extract_batch",
    "extract_file",
    "get_extractor",
    "load_aliases",
    "load_incidents",
    "merge",
    "read_article",
    "schema_text",
    "verify",
    "verify_and_apply",
    "write_review",
]

_extractors: dict[tuple[str, str], Extractor] = {}
_lock = threading.Lock()


def _settings(settings: Settings | None, options: dict[str, Any]) -> Settings:
    """Validated settings: model_copy would skip validation and leave a key as plain str."""
    base = settings or Settings()
    return Settings.model_validate({**base.model_dump(), **options}) if options else base


def get_extractor(settings: Settings | None = None, **options: Any) -> Extractor:
    """A shared Extractor per distinct settings, so the embedded model loads once."""
    chosen = _settings(settings, options)
    secret = chosen.api_key.get_secret_value() if chosen.api_key else ""
    key = (chosen.model_dump_json(), secret)
    with _lock:
        if key not in _extractors:
            _extractors[key] = Extractor(chosen)
        return _extractors[key]


def extract(
    text: str,
    *,
    id: str | None = None,
    published: date | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> ExtractionResult:
    """Extract incident records from one article's text, each value verified.

    `options` are Settings fields (backend="openai", model=..., base_url=...,
    policy="drop", use_cache=False, ...). `published` anchors relative dates
    ("on Sunday"). Raises an LLMExtractError subclass on failure.
    """
    return get_extractor(settings, **options).extract(Article(text, id=id, published=published))


def extract_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    published: date | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> ExtractionResult:
    """Like `extract`, reading the article from a file with the CLI's input checks."""
    extractor = get_extractor(settings, **options)
    text = read_article(path, encoding=encoding, max_chars=extractor.settings.max_chars)
    name = "standard input" if str(path) == "-" else str(path)
    return extractor.extract(Article(text, id=Path(path).stem, name=name, published=published))


def read_article(
    path: str | Path, *, encoding: str | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """An article's text from a file (or "-", standard input), refused in one line
    (InputError) when it cannot be an article: missing, not a regular file (a FIFO, a
    device), a closed stdin, binary, undecodable, too long. Whether it holds words is
    checked with the rest of the text, before any model call."""
    return read_source(path, max_chars=max_chars, encoding=encoding)


def batch_items(
    paths: Iterable[str | Path], *, encoding: str | None = None, published: date | None = None
) -> list[BatchItem]:
    """One item per article file; a folder gives its *.txt files. The file stem is the
    id, unless two files share a stem: then each is its path from their common folder
    ("a/x", "b/x"), so no result shadows another. A file named twice is one item."""
    files = [file for path in paths for file in article_files(Path(path))]
    if not files:
        raise InputError("no articles found (a folder contributes its *.txt files)")
    return [
        BatchItem(id=item_id, path=file, encoding=encoding, published=published)
        for item_id, file in article_ids(files)
    ]


def load_aliases(path: str | Path | None) -> AliasTable | None:
    """The built-in alias table extended by the file at `path` (None: no extra file)."""
    if path is None:
        return None
    try:
        return AliasTable.load(Path(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not an alias table ({exc})") from None


def evaluate(
    gold: str | Path, pred: str | Path, *, aliases: str | Path | None = None
) -> EvaluationReport:
    """Score predicted records (batch output) against gold records, per field group.

    Both are JSONL files (or, for `gold`, a folder of them); the last line per id wins,
    an error line is an empty prediction. `llm-extract eval --help` states the rule."""
    gold, pred = Path(gold), Path(pred)
    if gold.is_dir() and pred.resolve().parent == gold.resolve() and pred.suffix == ".jsonl":
        raise InputError(f"{pred} is inside the --gold folder; it would be read as gold too")
    return score_records(load_records(gold), load_records(pred), aliases=load_aliases(aliases))


def verify(
    record: ArticleExtraction | ExtractionResult | dict[str, Any],
    text: str,
    *,
    published: date | None = None,
    policy: Policy = "flag",
    aliases: str | Path | None = None,
) -> VerificationReport:
    """Check every number, name, date and quote of `record` against `text`.

    `record` may be an ArticleExtraction, a whole ExtractionResult, or their JSON
    form. Offsets in the report index `text` as given. For the record with unsupported
    values removed, use `verify_and_apply`.
    """
    return verify_and_apply(record, text, published=published, policy=policy, aliases=aliases)[1]


def verify_and_apply(
    record: ArticleExtraction | ExtractionResult | dict[str, Any],
    text: str,
    *,
    published: date | None = None,
    policy: Policy = "flag",
    aliases: str | Path | None = None,
) -> tuple[ArticleExtraction, VerificationReport]:
    """The record after `policy` ('flag' keeps all, 'drop' removes unsupported values)
    and the report."""
    if policy == "reask":
        raise ConfigError("policy 'reask' needs a model: use it with extract, not verify")
    if isinstance(record, ExtractionResult):
        record = record.record
    elif not isinstance(record, ArticleExtraction):
        record = _record_of(record)
    table = load_aliases(aliases)
    return run_verify(record, text, published=published, policy=policy, aliases=table)


def _record_of(document: Any) -> ArticleExtraction:
    """A record from its JSON form, bare or inside an extract result; InputError if it
    is neither (schema errors are the input's fault, not the verifier's)."""
    if isinstance(document, dict) and "record" in document:
        document = document["record"]
    try:
        return ArticleExtraction.model_validate(document)
    except ValidationError as exc:
        raise InputError(f"not a record of the extraction schema: {describe_error(exc)}") from None


def extract_batch(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    concurrency: int = 8,
    out: str | Path | None = None,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
    **settings_options: Any,
) -> Iterator[Outcome]:
    """Extract many articles concurrently; yield an ExtractionResult or ItemError each,
    in completion order.

    Items are texts, (id, text) pairs or BatchItem(id, path=...); ids must be unique.
    With `out`, each outcome is appended to that JSONL file as soon as it is ready, and
    ids already done there are skipped. `options` sets rate limits, budgets, resume, the
    outage stop and lock waiting (BatchOptions). Refused with InputError before any
    model call: repeated ids in a list, an `out` that is not a regular file, holds lines
    that are not batch output, or is locked by another batch. A failed write stops the
    batch with an LLMExtractError (the file keeps every record before it).
    """
    extractor = get_extractor(settings, **settings_options)
    chosen = options or BatchOptions(concurrency=concurrency)
    return run_batch(extractor, items, out=Path(out) if out else None, options=chosen)


async def aextract_batch(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: str | Path | None = None,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
    **settings_options: Any,
) -> AsyncIterator[Outcome]:
    """`extract_batch` for code already inside an event loop."""
    extractor = get_extractor(settings, **settings_options)
    run = BatchRun(extractor, items, options=options, out=Path(out) if out else None)
    with collector_tuned():
        async for outcome in run.run():
            yield outcome


def cache_stats(cache_dir: str | Path | None = None) -> CacheStats:
    """Where the result cache is, how many results it holds and its size."""
    return ResultCache(Path(cache_dir) if cache_dir else None).stats()


def clear_cache(cache_dir: str | Path | None = None) -> int:
    """Remove every cached result; returns how many were removed."""
    return ResultCache(Path(cache_dir) if cache_dir else None).clear()


MergeInput = ExtractionResult | MergedIncident | SourceIncident | dict[str, Any]


def merge(
    items: Iterable[MergeInput] | str | Path | Iterable[str | Path],
    *,
    geocode: bool = True,
    gazetteer_files: Iterable[str | Path] = (),
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
    combine: bool = True,
) -> MergeOutcome:
    """Merge incidents that several articles report into one event each.

    `items` are results (objects or batch JSONL lines), gold lines, merged incidents
    (merging again rebuilds the same events), or JSONL paths / folders of them. The
    outcome has `.incidents` (MergedIncident) and `.decisions` (every pair compared,
    with reasons). `geocode` loads the offline gazetteer (seconds, once) so that spellings of
    one town agree; `tolerance_days` widens date windows.
    """
    sources = sources_from_lines(incident_lines(items))
    gazetteer = load_gazetteer(tuple(Path(p) for p in gazetteer_files)) if geocode else None
    return merge_sources(
        sources, gazetteer=gazetteer, tolerance_days=tolerance_days, combine=combine
    )


def export(incidents: Iterable[MergedIncident], fmt: str = "acled-csv") -> str:
    """The text of an export file: "acled-csv" (one row per place and day where the split
    is well defined), "csv" or "jsonl" (one flat row per incident)."""
    return export_rows(list(incidents), fmt)


DATASET_FORMATS = ("sqlite", "parquet")


def export_dataset(
    path: str | Path, out: str | Path, fmt: str = "sqlite", *, results: str | Path | None = None
) -> dict[str, int]:
    """Write the incidents at `path` (merge output, or batch results exported unmerged)
    as a SQLite database (updated in place by id) or a folder of Parquet files; the
    rows written per table. Batch results, at `path` or given as `results`, add the
    articles and verdicts tables. `llm-extract export --help` lists the tables."""
    incidents, merged = load_incidents(path)
    tables = incident_tables(incidents)
    source = Path(results) if results else None if merged else Path(path)
    if source is not None and (results or _holds_results(source)):
        tables.update(article_tables(read_outcomes(source)))
    if fmt == "sqlite":
        return write_sqlite(Path(out), tables)
    if fmt == "parquet":
        return write_parquet(Path(out), tables)
    raise ConfigError(f"unknown dataset format {fmt!r}; choose from {', '.join(DATASET_FORMATS)}")


def _holds_results(path: Path) -> bool:
    """Batch output, not gold lines: every line says its status."""
    return path.is_file() and all(
        isinstance(line, dict) and "status" in line for _, line in json_lines(path)
    )


def load_incidents(path: str | Path) -> tuple[list[MergedIncident], bool]:
    """Incidents from a JSONL file or folder, and whether they were merged already.

    Merged incidents come back as they are; batch results or gold lines become one
    incident per article incident, unmerged."""
    lines = list(incident_lines(path))
    if all(isinstance(line, dict) and "sources" in line for _, line in lines):
        return [_merged(where, line) for where, line in lines], True
    return merge_sources(sources_from_lines(lines), combine=False).incidents, False


def _merged(where: str, line: dict[str, Any]) -> MergedIncident:
    try:
        return MergedIncident.model_validate(line)
    except ValidationError as exc:
        raise InputError(f"{where}: not a merged incident: {describe_error(exc)}") from None


def incident_lines(
    items: Iterable[MergeInput] | str | Path | Iterable[str | Path],
) -> Iterator[tuple[str, Any]]:
    """(where, JSON object) pairs from JSONL paths or folders, or from objects."""
    if isinstance(items, str | Path):
        items = [items]
    for n, item in enumerate(items, start=1):
        if isinstance(item, str | Path):
            yield from _file_lines(Path(item))
        elif isinstance(item, SourceIncident):
            yield f"item {n}", {"sources": [item.model_dump(mode="json")]}
        elif isinstance(item, dict):
            yield f"item {n}", item
        else:
            yield f"item {n}", item.model_dump(mode="json")


def _file_lines(path: Path) -> Iterator[tuple[str, Any]]:
    for file in jsonl_files(path):
        yield from json_lines(file)
