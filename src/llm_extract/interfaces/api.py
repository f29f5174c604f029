"""The Python API: a few functions over the pipeline, nothing the CLI does not share."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llm_extract.batch.engine import BatchItem, BatchOptions, BatchRun, Outcome, run_batch
from llm_extract.core.errors import ConfigError, InputError, describe_error
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult
from llm_extract.core.settings import Settings
from llm_extract.core.verification import Policy, VerificationReport
from llm_extract.dataset.export import export as export_rows
from llm_extract.dataset.merge import DEFAULT_TOLERANCE_DAYS, MergeOutcome, sources_from_lines
from llm_extract.dataset.merge import merge as merge_sources
from llm_extract.extraction.cache import CacheStats, ResultCache
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.verify import verify as run_verify
from llm_extract.io.articles import read_source
from llm_extract.io.jsonl import json_lines, jsonl_files
from llm_extract.places.enrich import load_gazetteer
from llm_extract.text.names import AliasTable

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
    return get_extractor(settings, **options).extract(text, id=id, published=published)


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
    text = read_source(path, max_chars=extractor.settings.max_chars, encoding=encoding)
    name = "standard input" if str(path) == "-" else str(path)
    return extractor.extract(text, id=Path(path).stem, name=name, published=published)


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
    elif isinstance(record, dict) and "record" in record:
        record = ArticleExtraction.model_validate(record["record"])
    table = AliasTable.load(Path(aliases)) if aliases else None
    return run_verify(record, text, published=published, policy=policy, aliases=table)


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

    Items are texts, (id, text) pairs or BatchItem(id, path=...). With `out`, each
    outcome is appended to that JSONL file as soon as it is ready, and ids already done
    there are skipped. `options` sets rate limits, budgets and resume (BatchOptions).
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
    async for outcome in run.run():
        yield outcome


def cache_stats(cache_dir: str | Path | None = None) -> CacheStats:
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
    with reasons). `geocode` loads the offline gazetteer (~6 s) so that spellings of
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
