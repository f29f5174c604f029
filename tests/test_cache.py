"""The cache key covers everything that changes the answer and nothing secret."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import diskcache
import pytest

from llm_extract.core.results import ExtractionResult
from llm_extract.core.settings import Settings
from llm_extract.extraction.cache import ResultCache, cache_key, default_cache_dir
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.prompts import PromptTemplate
from tests.conftest import seed_text
from tests.doubles import CountingBackend

ARTICLE = seed_text("003_880e22595b6a996f.txt")


def make(tmp_path: Path, backend: CountingBackend, **settings: object) -> Extractor:
    chosen = Settings(cache_dir=tmp_path / "cache", **settings)  # type: ignore[arg-type]
    return Extractor(chosen, backend=backend)


def test_second_identical_run_makes_no_model_call(tmp_path: Path) -> None:
    backend = CountingBackend()
    first = make(tmp_path, backend).extract(ARTICLE)
    second = make(tmp_path, backend).extract(ARTICLE)  # a new process would do the same
    assert len(backend.calls) == 1
    assert (first.cached, second.cached) == (False, True)
    assert second.record == first.record
    assert second.usage.total_tokens == 0 < first.usage.total_tokens


@pytest.mark.parametrize("change", ["model", "prompt", "schema", "article", "sampling"])
def test_each_input_that_changes_the_answer_misses(tmp_path: Path, change: str) -> None:
    backend = CountingBackend()
    base = make(tmp_path, backend)
    base.extract(ARTICLE)
    article = ARTICLE
    if change == "model":
        other = make(tmp_path, CountingBackend(model="double-2"))
    elif change == "prompt":
        other = make(tmp_path, backend)
        p = other.prompt
        other.prompt = PromptTemplate(p.id, "9.9.9", p.system + " ", p.user, "0" * 64)
    elif change == "schema":
        other = make(tmp_path, backend, compact_schema=True)
    elif change == "article":
        other, article = base, ARTICLE.replace("80", "81")
    else:
        other = make(tmp_path, backend, temperature=0.7)
    result = other.extract(article)
    assert not result.cached
    assert result.provenance.cache_key != base.extract(ARTICLE).provenance.cache_key
    other_backend = other.backend
    assert isinstance(other_backend, CountingBackend)
    assert (
        len(backend.calls) + (len(other_backend.calls) if other_backend is not backend else 0) == 2
    )


def test_settings_that_do_not_change_the_answer_share_the_cache(tmp_path: Path) -> None:
    backend = CountingBackend()
    make(tmp_path, backend, timeout_s=5, max_transport_retries=0).extract(ARTICLE)
    hit = make(tmp_path, backend, timeout_s=99, max_transport_retries=7, api_key="sk-x").extract(
        ARTICLE
    )
    assert hit.cached and len(backend.calls) == 1


def test_equivalent_articles_share_a_key(tmp_path: Path) -> None:
    backend = CountingBackend()
    extractor = make(tmp_path, backend)
    extractor.extract(ARTICLE)
    assert extractor.extract("\n" + ARTICLE.replace("\n", "\r\n") + "  \n").cached


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    backend = CountingBackend()
    extractor = make(tmp_path, backend, use_cache=False)
    extractor.extract(ARTICLE)
    extractor.extract(ARTICLE)
    assert len(backend.calls) == 2
    assert not (tmp_path / "cache").exists()


def test_values_are_json_never_pickle_and_hold_no_secret(tmp_path: Path) -> None:
    make(tmp_path, CountingBackend(), api_key="sk-cache-SECRET-123").extract(ARTICLE)
    rows = (
        sqlite3.connect(tmp_path / "cache" / "cache.db")
        .execute("SELECT key, value, mode FROM Cache")
        .fetchall()
    )
    assert len(rows) == 2, "the model's answer and the verified result"
    documents = []
    for key, value, mode in rows:
        assert mode == diskcache.core.MODE_RAW, "bytes as they are, never pickle"
        stored = zlib.decompress(value).decode("utf-8")  # zlib-compressed JSON text
        documents.append(json.loads(stored))
        assert "SECRET" not in stored and "SECRET" not in str(key)
    assert sorted(map(sorted, documents)) == [
        sorted(ExtractionResult.model_fields),
        ["provenance", "record"],
    ]
    verified = next(d for d in documents if "verification" in d)
    assert verified["verification"]["summary"]["total"] > 0


def test_a_planted_pickle_entry_is_a_miss_and_never_runs(tmp_path: Path) -> None:
    """Someone who can write to the cache directory must not get code run."""
    marker = tmp_path / "pwned"
    raw = diskcache.Cache(str(tmp_path / "cache"))  # the default disk pickles objects
    raw.set("k", _Planted(str(marker)))
    raw.close()
    cache = ResultCache(tmp_path / "cache")
    assert cache.get("k") is None
    assert not marker.exists()
    cache.put("k", '{"a": 1}')
    assert cache.get("k") == '{"a": 1}'


class _Planted:
    """Unpickling it would create a file: the proof that pickle ran."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def test_key_is_stable_and_order_independent() -> None:
    parts = dict(
        model="m", endpoint_kind="openai", prompt_hash="p", schema_hash="s", mode="tool_call",
        article_sha256="a",
    )  # fmt: skip
    one = cache_key(sampling={"temperature": 0.0, "seed": 0}, **parts)
    two = cache_key(sampling={"seed": 0, "temperature": 0.0}, **parts)
    assert one == two and len(one) == 64


def test_cache_dir_follows_env_then_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_EXTRACT_CACHE_DIR", "/srv/x")
    assert default_cache_dir() == Path("/srv/x")
    monkeypatch.delenv("LLM_EXTRACT_CACHE_DIR")
    assert "llm-extract" in str(default_cache_dir())
