"""Settings that decide how an article is extracted, with the defaults users get."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_MAX_CHARS = 100_000
"""Articles longer than this are rejected before any model call (about 25k tokens)."""
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_TOTAL_S = 300.0
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
"""A chat answer is a few KB; 8 MiB leaves room for any real one and none for a flood."""


class Settings(BaseModel):
    """How to reach the model and how to ask it.

    `api_key` is a SecretStr so that it never shows in a repr, a log line or an error.
    Only what `extraction.cache.key_material` takes (model, endpoint, prompt, schema, mode,
    sampling) changes the cache key; keys, timeouts, limits and retry settings do not.
    """

    model_config = ConfigDict(protected_namespaces=(), frozen=True)

    backend: str | None = Field(
        default=None,
        description="openai, local or a plugin name; None picks openai when an endpoint "
        "is set, else local.",
    )
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    model_path: Path | None = Field(default=None, description="GGUF file for 'local'.")
    mode: str | None = Field(default=None, description="instructor mode; backend default.")
    temperature: float = 0.0
    max_tokens: int | None = None
    seed: int | None = 0
    prompt: str = "extract_incidents"
    strategy: Literal["auto", "grounded", "whole"] = Field(
        default="auto",
        description="grounded: one constrained question at a time, answers chosen from "
        "the article's own candidates (the embedded model's default); whole: the full "
        "record in one call (the default for endpoints).",
    )
    compact_schema: bool | None = Field(
        default=None,
        description="Publish tight length/list bounds to the model (for tiny models); "
        "None lets the backend decide (on for local, off for openai).",
    )
    timeout_s: float = Field(
        default=DEFAULT_TIMEOUT_S,
        gt=0,
        description="Wall-clock limit on one HTTP request to the endpoint, reading the "
        "answer included: a server trickling bytes cannot hold it longer.",
    )
    max_total_s: float = Field(
        default=DEFAULT_MAX_TOTAL_S,
        gt=0,
        description="Wall-clock limit on one model call with its retries and the waits "
        "between them: no retry starts that could end past it. Never less than one "
        "timeout_s, so the first attempt always has its full limit.",
    )
    max_transport_retries: int = Field(default=4, ge=0, le=10)
    max_retry_wait_s: float = Field(default=60.0, gt=0)
    max_response_bytes: int = Field(
        default=DEFAULT_MAX_RESPONSE_BYTES,
        ge=1024,
        description="Largest answer body accepted, counted as it is read and decoded; "
        "error bodies are read only as far as their message needs.",
    )
    max_validation_retries: int = Field(default=2, ge=0, le=5)
    max_chars: int = Field(default=DEFAULT_MAX_CHARS, gt=0)
    policy: Literal["flag", "drop", "reask"] = Field(
        default="flag",
        description="What to do with values the article does not support: flag (keep and "
        "report), drop (remove them), reask (send the findings to the model, within the "
        "re-ask budget).",
    )
    aliases: Path | None = Field(default=None, description="Extra alias table (JSON).")
    geocode: bool = Field(default=False, description="Resolve each location offline.")
    gazetteer: Path | None = Field(
        default=None, description="Extra GeoNames-format file; implies geocode."
    )
    use_cache: bool = True
    cache_dir: Path | None = None
    n_threads: int | None = None
