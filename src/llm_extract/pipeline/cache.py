"""On-disk cache of validated results, keyed on everything that changes the answer.

Values are JSON (diskcache's JSONDisk), never pickle: a cache directory someone else
can write to must not become a way to run code. Secrets, timeouts and retry settings
are not part of the key, so they never reach the disk and never split the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
import platformdirs

from llm_extract.core.errors import ConfigError

CACHE_FORMAT_VERSION = 1
CACHE_ENV = "LLM_EXTRACT_CACHE_DIR"


def default_cache_dir() -> Path:
    """$LLM_EXTRACT_CACHE_DIR, else the platform's user cache directory."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("llm-extract")) / "results"


def cache_key(
    *,
    model: str,
    endpoint_kind: str,
    prompt_hash: str,
    schema_hash: str,
    mode: str,
    sampling: dict[str, Any],
    article_sha256: str,
    options: dict[str, Any] | None = None,
) -> str:
    """sha256 of canonical JSON of every input that can change the model's answer.

    `options` holds pipeline choices that change the stored record (policy 'reask').
    """
    material = {
        "cache_format": CACHE_FORMAT_VERSION,
        "model": model,
        "endpoint_kind": endpoint_kind,
        "prompt_hash": prompt_hash,
        "schema_hash": schema_hash,
        "mode": mode,
        "sampling": sampling,
        "article_sha256": article_sha256,
        "options": options or {},
    }
    canonical = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    directory: str
    entries: int
    size_bytes: int


class ResultCache:
    """A thin, process-safe JSON store (diskcache.Cache on SQLite)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._cache = diskcache.Cache(str(self.directory), disk=diskcache.JSONDisk, timeout=60)
        except (OSError, diskcache.Timeout) as exc:
            raise ConfigError(f"cannot open the cache at {self.directory}: {exc}") from None

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._cache.get(key)
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self._cache.set(key, value)

    def stats(self) -> CacheStats:
        return CacheStats(str(self.directory), len(self._cache), self._cache.volume())

    def clear(self) -> int:
        return int(self._cache.clear())

    def close(self) -> None:
        self._cache.close()
