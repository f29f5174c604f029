"""Records and outcomes read back from JSONL: batch output, gold files, folders of them.
Every reader takes each id's last line (io/jsonl.py), as a resumed batch means it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llm_extract.core.errors import InputError, describe_error
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult, ItemError, Outcome
from llm_extract.io.jsonl import jsonl_files, latest_lines


def load_records(path: str | Path) -> dict[str, ArticleExtraction]:
    """Records by id from a JSONL file, or from every *.jsonl in a folder.

    Lines are {"id": ..., "record": {...}} (gold) or `llm-extract batch` lines; an
    error line ({"status": "error"}) is an empty record. The last line for an id wins."""
    records: dict[str, ArticleExtraction] = {}
    for file in jsonl_files(Path(path)):
        for article_id, (where, line) in latest_lines(file).items():
            if line.get("status") == "error":
                records[article_id] = ArticleExtraction(incidents=[])
            elif "record" not in line:
                raise InputError(f'{where}: id {article_id!r} has no "record"')
            else:
                records[article_id] = _record(line["record"], where, article_id)
    return records


def read_outcomes(path: Path) -> list[Outcome]:
    """Batch output lines, the last line per id winning, in id order."""
    if not path.is_file():
        raise InputError(f"{path}: no such file (give the JSONL written by `llm-extract batch`)")
    outcomes: dict[str, Outcome] = {}
    for article_id, (where, line) in latest_lines(path).items():
        kind: type[ExtractionResult] | type[ItemError] = (
            ItemError if line.get("status") == "error" else ExtractionResult
        )
        try:
            outcomes[article_id] = kind.model_validate(line)
        except ValidationError as exc:
            raise InputError(
                f"{where}: not a result of `llm-extract batch`: {describe_error(exc)}"
            ) from None
    return [outcomes[key] for key in sorted(outcomes)]


def _record(data: Any, where: str, article_id: str) -> ArticleExtraction:
    try:
        return ArticleExtraction.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{where}: record of id {article_id!r} is invalid: {describe_error(exc)}"
        ) from None
