"""On-disk cache of validated results, keyed on everything that changes the answer.

Values are JSON text, zlib-compressed, stored as bytes and never pickled: a cache
directory someone else can write to must not become a way to run code (an entry in
diskcache's pickle mode reads as a miss). The caller hands over JSON text it has
already serialised, so a hit is one decompression and one parse, straight into the
result model. Secrets, timeouts and retry settings are not part of the key, so they
never reach the disk and never split the cache.

A cache is a convenience, never a reason to fail: one that cannot be written (a
read-only mount, another user's) still serves its hits, read straight from its SQLite
file, and a corrupt one is set aside and started afresh. Each says so once on stderr.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache
import platformdirs
from diskcache.core import DBNAME, MODE_BINARY, MODE_RAW, UNKNOWN

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
    endpoint: str | None = None,
) -> str:
    """Canonical JSON of every input but the article that can change the model's answer:
    the same for a whole batch, so it is built once.

    `options` holds pipeline choices that change the stored record (policy 'reask').
    `endpoint` is where a served model runs (scheme://host:port/path, no credentials):
    two servers may answer to one model name. In-process backends have none, and their
    material stays what it was before endpoints were part of it.
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
    if endpoint is not None:
        material["endpoint"] = endpoint
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


class _ReadOnlyStore:
    """The entries of a cache this process may not write, read with SQLite's read-only
    mode (immutable, where even the lock files cannot be made): hits, never writes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        uri = (directory / DBNAME).resolve().as_uri()
        last: sqlite3.Error | None = None
        for flags in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                self._db = sqlite3.connect(uri + flags, uri=True, check_same_thread=False)
                self._db.execute("SELECT count(*) FROM Cache").fetchone()
                return
            except sqlite3.Error as exc:
                last = exc
        raise last or sqlite3.OperationalError("cannot read the cache")

    def get(self, key: str) -> bytes | None:
        rows = self._db.execute(
            "SELECT mode, filename, value FROM Cache WHERE key = ? AND raw = 1"
            " AND (expire_time IS NULL OR expire_time > ?)",
            (key, time.time()),
        ).fetchall()
        if not rows:
            return None
        mode, filename, value = rows[0]
        if mode == MODE_RAW:
            return bytes(value)
        if mode == MODE_BINARY and filename:
            try:
                return (self.directory / filename).read_bytes()
            except OSError:
                return None
        return None  # pickle or text mode: written by something else, never read

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM Cache").fetchone()[0])

    def volume(self) -> int:
        (pages,), (size,) = (
            self._db.execute(f"PRAGMA {name}").fetchone() for name in ("page_count", "page_size")
        )
        return int(pages) * int(size)

    def close(self) -> None:
        self._db.close()


def _warn(message: str) -> None:
    print(f"llm-extract: warning: {message}", file=sys.stderr)


def _set_aside(directory: Path) -> Path:
    """Move a corrupt database out of the way, kept for inspection, never deleted."""
    database = directory / DBNAME
    aside = directory / f"{DBNAME}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    database.rename(aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return aside


class ResultCache:
    """A thin, process-safe store of JSON documents (diskcache.Cache on SQLite), or a
    read-only view of one that cannot be written."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        self.read_only = False
        self._store: diskcache.Cache | _ReadOnlyStore = self._open()

    def _open(self) -> diskcache.Cache | _ReadOnlyStore:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return self._writable()
        except sqlite3.DatabaseError as exc:
            if _is_corrupt(exc):
                aside = _set_aside(self.directory)
                _warn(
                    f"the cache at {self.directory} was corrupt ({exc}); set it aside as "
                    f"{aside.name} and started an empty one"
                )
                return self._writable()
            return self._read_only(exc)
        except OSError as exc:
            if (self.directory / DBNAME).is_file():
                return self._read_only(exc)
            raise ConfigError(f"cannot open the cache at {self.directory}: {exc}") from None

    def _writable(self) -> diskcache.Cache:
        try:
            return diskcache.Cache(str(self.directory), disk=_BytesDisk, timeout=60)
        except diskcache.Timeout as exc:
            raise ConfigError(f"cannot open the cache at {self.directory}: {exc}") from None

    def _read_only(self, cause: BaseException) -> _ReadOnlyStore:
        try:
            store = _ReadOnlyStore(self.directory)
        except sqlite3.Error as exc:
            raise ConfigError(
                f"cannot open the cache at {self.directory}: {cause}; reading it: {exc} "
                "(use --no-cache or --cache-dir)"
            ) from None
        self.read_only = True
        _warn(
            f"the cache at {self.directory} cannot be written ({cause}): serving what it "
            "holds, storing nothing new"
        )
        return store

    def get(self, key: str) -> str | None:
        """The JSON text stored under `key`, or None (also for an unreadable entry)."""
        try:
            value = self._store.get(key)
        except sqlite3.DatabaseError:
            return None
        if not isinstance(value, bytes):
            return None
        try:
            return zlib.decompress(value).decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            return None

    def put(self, key: str, document: str) -> None:
        """Store `document`; a cache that turns out unwritable stops storing, once said."""
        if isinstance(self._store, _ReadOnlyStore):
            return
        try:
            self._store.set(key, zlib.compress(document.encode("utf-8"), 1))
        except sqlite3.DatabaseError as exc:
            if not (_is_corrupt(exc) or "readonly" in str(exc) or "read-only" in str(exc)):
                raise
            self._store.close()
            self._store = self._read_only(exc)

    def stats(self) -> CacheStats:
        if isinstance(self._store, _ReadOnlyStore):
            return CacheStats(str(self.directory), self._store.count(), self._store.volume())
        return CacheStats(str(self.directory), len(self._store), self._store.volume())

    def clear(self) -> int:
        """Remove every entry; a cache that cannot be written says so in one line."""
        if isinstance(self._store, _ReadOnlyStore):
            raise ConfigError(f"the cache at {self.directory} cannot be written; nothing removed")
        return int(self._store.clear())

    def close(self) -> None:
        self._store.close()


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """SQLite's words for a file that is not (or no longer) a database."""
    text = str(exc).lower()
    return any(w in text for w in ("not a database", "malformed", "corrupt"))
