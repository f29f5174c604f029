"""The Python API's dataset functions: merge articles' incidents into events, export
them as tables or a database. Re-exported by api.py, which the CLI calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llm_extract.core.errors import ConfigError, InputError, describe_error
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.core.results import ExtractionResult
from llm_extract.dataset.export import export as export_rows
from llm_extract.dataset.merge import DEFAULT_TOLERANCE_DAYS, MergeOutcome, sources_from_lines
from llm_extract.dataset.merge import merge as merge_sources
from llm_extract.dataset.parquet import write_parquet
from llm_extract.dataset.sqlite import write_sqlite
from llm_extract.dataset.tables import article_tables, incident_tables
from llm_extract.io.jsonl import json_lines, jsonl_files
from llm_extract.io.jsonl import read_json_document as read_json_document  # for cli/verify
from llm_extract.io.records import read_outcomes
from llm_extract.places.enrich import load_gazetteer

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
