"""What one extraction returns: the record plus usage, provenance and cache status."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from llm_extract.core.articles import ArticleSource
from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.verification import VerificationReport


class Usage(BaseModel):
    """Tokens and requests, counted over every attempt, failed ones included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0
    failed_requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            **{name: getattr(self, name) + getattr(other, name) for name in Usage.model_fields}
        )


class Provenance(BaseModel):
    """Everything needed to say where a record came from and to reproduce it."""

    model_config = ConfigDict(protected_namespaces=())

    backend: str
    endpoint_kind: str
    endpoint: str | None = Field(
        default=None,
        description="Where the model was served: scheme://host[:port]/path, never with "
        "credentials; null in-process.",
    )
    model: str
    mode: str
    prompt_id: str
    prompt_version: str
    prompt_hash: str
    schema_name: str
    schema_variant: Literal["full", "compact"] = Field(
        description="'compact' when tight bounds were published to a small model."
    )
    schema_version: str
    schema_hash: str
    sampling: dict[str, Any]
    article_sha256: str
    article_chars: int
    cache_key: str
    package_version: str
    created_at: str = Field(description="UTC time the model answered (ISO 8601).")
    source: ArticleSource | None = Field(
        default=None,
        description="Where the article came from (a corpus row's url, outlet, title and "
        "publication date); set for each item, never taken from the cache, so two rows "
        "with one text each keep their own.",
    )


class ExtractionResult(BaseModel):
    """One article's extraction. `cached` says whether the model was called at all."""

    status: Literal["ok"] = "ok"
    id: str
    record: ArticleExtraction
    verification: VerificationReport = Field(
        description="Every value checked against the article; offsets index the input text."
    )
    places: list[GeocodedPlace] = Field(
        default_factory=list, description="Each location geocoded (with --geocode)."
    )
    usage: Usage = Field(description="What this call spent: zero on a cache hit.")
    provenance: Provenance
    cached: bool
    duration_s: float
    empty_reason: str | None = Field(
        default=None,
        description="Why the record holds no incident although the article reports a "
        "casualty figure or an attack (e.g. no place candidate); None otherwise.",
    )


class ItemError(BaseModel):
    """A batch item that failed; the batch goes on without it."""

    status: Literal["error"] = "error"
    id: str
    error_type: str
    message: str
    usage: Usage = Field(default_factory=Usage)


Outcome = ExtractionResult | ItemError
"""What extraction gives for each item of a batch: its result, or why it has none."""
