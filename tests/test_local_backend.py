"""The embedded model, in-process: always a valid record, never a runaway generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm_extract import ConfigError, extract, extract_batch
from llm_extract.backends.local import MAX_TOKENS, default_model_path
from tests.conftest import seed_text

pytestmark = pytest.mark.slow


def test_seed_gives_a_valid_bounded_record_and_says_it_is_local(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = seed_text("004_b565bea953493acf.txt")
    result = extract(article, cache_dir=tmp_path, strategy="whole")
    assert "using the embedded model SmolLM2-135M-Instruct" in capsys.readouterr().err
    prov = result.provenance
    assert (prov.backend, prov.endpoint_kind, prov.schema_variant) == (
        "local",
        "embedded-llama.cpp",
        "compact",
    )
    assert prov.model.startswith("SmolLM2-135M-Instruct.Q4_1.gguf:")
    assert result.usage.requests >= 1
    assert 0 < result.usage.completion_tokens < MAX_TOKENS * result.usage.requests
    assert len(result.record.incidents) <= 1  # the compact grammar's bound
    again = extract(article, cache_dir=tmp_path, strategy="whole")
    assert again.cached and again.record == result.record


def test_the_default_model_file_comes_from_the_installed_package() -> None:
    path = default_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 90_000_000


def test_a_missing_or_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="model file not found"):
        extract("Ten soldiers were killed in Kidal.", model_path=tmp_path / "none.gguf")
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"GGUF" + b"\x00" * 64)
    with pytest.raises(ConfigError, match="cannot load"):
        extract("Ten soldiers were killed in Kidal.", model_path=junk, use_cache=False)


def test_the_embedded_model_defaults_to_the_grounded_strategy(tmp_path: Path) -> None:
    result = extract(seed_text("003_880e22595b6a996f.txt"), cache_dir=tmp_path)
    assert result.provenance.mode == "grounded"
    assert result.verification.summary.unsupported == 0, "grounded by construction"
    killed = [c.best for i in result.record.incidents for c in i.counts if c.category == "killed"]
    assert killed == [80]
    (batched,) = extract_batch([("003", seed_text("003_880e22595b6a996f.txt"))], use_cache=False)
    assert batched.status == "ok" and batched.record == result.record, "the batch engine too"
