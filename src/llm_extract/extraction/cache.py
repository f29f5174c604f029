"""On-disk cache of validated results, keyed on everything that changes the answer.

Values are JSON text, zlib-compressed, stored as bytes and never pickled: a cache
directory someone else can write to must not become a way to run code (an entry in
diskcache's pickle mode reads as a miss). The caller hands over JSON text it has
already serialised, so a hit is one decompression and one parse, straight into the
result model. Secrets, timeouts and retry settings are not part of the key, so they
never reach the disk and never split the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
import platformdirs
from diskcache.core import MODE_BINARY, MODE_RAW, UNKNOWN

from llm_extract.core.errors import ConfigError

CACHE_FORMAT_VERSION = 2  # 2: JSON text in bytes (1 was diskcache's JSONDisk)
CACHE_ENV = "LLM_EXTRACT_CACHE_DIR"


def default_cache_dir() -> Path:
    """$LLM_EXTRACT_CACHE_DIR, else the platform's user cache directory."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("llm-extract")) / "results"


def key_material(
    *,
    model: str,
    endpoint_kind: str,
    prompt_hash: str,
    schema_hash: str,
    mode: str,
    sampling: dict[str, Any],
    options: dict[str, Any] | None = None,
) -> str:
    """Canonical JSON of every input but the article that can change the model's answer:
    the same for a whole batch, so it is built once.

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
        "options": options or {},
    }
    return json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def article_key(material: str, article_sha256: str) -> str:
    """The cache key of one article under `material` (from key_material)."""
    return hashlib.sha256(f"{material}|{article_sha256}".encode()).hexdigest()


def cache_key(*, article_sha256: str, **material: Any) -> str:
    """sha256 of everything that can change the model's answer (see key_material)."""
    return article_key(key_material(**material), article_sha256)


@dataclass(frozen=True)
class CacheStats:
    directory: str
    entries: int
    size_bytes: int


class _BytesDisk(diskcache.Disk):
    """Stores bytes as they are and reads nothing else back: no pickle, either way."""

    def store(self, value: Any, read: bool, key: Any = UNKNOWN) -> Any:
        if not isinstance(value, bytes):
            raise TypeError(f"the result cache stores bytes, not {type(value).__name__}")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: Any, value: Any, read: bool) -> Any:
        if mode not in (MODE_RAW, MODE_BINARY):
            return None  # written by something else (pickle mode): never unpickled
        return super().fetch(mode, filename, value, read)


class ResultCache:
    """A thin, process-safe store of JSON documents (diskcache.Cache on SQLite)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._cache = diskcache.Cache(str(self.directory), disk=_BytesDisk, timeout=60)
        except (OSError, diskcache.Timeout) as exc:
            raise ConfigError(f"cannot open the cache at {self.directory}: {exc}") from None

    def get(self, key: str) -> str | None:
        """The JSON text stored under `key`, or None (also for an unreadable entry)."""
        value = self._cache.get(key)
        if not isinstance(value, bytes):
            return None
        try:
            return zlib.decompress(value).decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            return None

    def put(self, key: str, document: str) -> None:
        self._cache.set(key, zlib.compress(document.encode("utf-8"), 1))

    def stats(self) -> CacheStats:
        return CacheStats(str(self.directory), len(self._cache), self._cache.volume())

    def clear(self) -> int:
        return int(self._cache.clear())

    def close(self) -> None:
        self._cache.close()
