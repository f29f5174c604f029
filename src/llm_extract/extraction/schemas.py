"""JSON Schema exports of the models users and other tools validate against.

`schemas/` holds what `export_schemas` writes; a test fails when they drift, so the
exported files and the code can never disagree.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel

from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult, ItemError

EXPORTS: dict[str, type[BaseModel]] = {
    "article_extraction.schema.json": ArticleExtraction,
    "extraction_result.schema.json": ExtractionResult,
    "item_error.schema.json": ItemError,
}


def schema_text(model: type[BaseModel]) -> str:
    return (
        json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )


def schema_hash(model: type[BaseModel]) -> str:
    """Hash of the schema the model is asked to fill: changes when any field does."""
    canonical = json.dumps(model.model_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in EXPORTS.items():
        path = folder / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written


def stale_exports(folder: Path) -> list[str]:
    """Names of exports that are missing or differ from the code."""
    return [
        name
        for name, model in EXPORTS.items()
        if not (folder / name).is_file()
        or (folder / name).read_text(encoding="utf-8") != schema_text(model)
    ]
