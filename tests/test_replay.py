"""The openai backend end to end, replayed from cassettes recorded against a real
llama.cpp server (and OpenAI, when such a cassette was recorded)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from llm_extract import ValidationFailure, cache_stats, extract_file
from llm_extract.core.records import ArticleExtraction
from llm_extract.extraction.compact import compact_model
from llm_extract.extraction.prompts import load_prompt
from llm_extract.extraction.schemas import schema_hash
from llm_extract.interfaces.cli.main import main
from tests.conftest import CASSETTES, RECORD_BASE_URL, RECORD_MODEL, ROOT, SEEDS

pytestmark = [pytest.mark.cassette, pytest.mark.vcr]

ENDPOINTS: dict[str, dict[str, Any]] = {
    "llamacpp": {"base_url": RECORD_BASE_URL, "model": RECORD_MODEL, "compact_schema": True},
    "openai": {"base_url": None, "model": "gpt-4o-mini", "compact_schema": False},
}
SEED = SEEDS / "003_880e22595b6a996f.txt"  # the small model answers: no incident
RICH_SEED = SEEDS / "001_42dbdfaf130e5adc.txt"  # the small model answers with an incident
REASK_SEED = SEEDS / "002_478af1d20671a3e8.txt"  # its first two answers fail validation
RESULT_SCHEMA = json.loads((ROOT / "schemas" / "extraction_result.schema.json").read_text())


@pytest.fixture(params=sorted(ENDPOINTS))
def endpoint(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    name = request.param
    if name == "openai":
        cassette = CASSETTES / "test_replay" / f"{request.node.name}.yaml"
        if os.environ.get("LLM_EXTRACT_RECORDING"):
            if not os.environ.get("OPENAI_API_KEY"):
                pytest.skip("set OPENAI_API_KEY to record the OpenAI cassettes")
        elif not cassette.exists():
            pytest.skip("no OpenAI cassette recorded (needs OPENAI_API_KEY at record time)")
        else:
            monkeypatch.setenv("OPENAI_API_KEY", "replay-only-placeholder")
    return ENDPOINTS[name]


def http_calls(cassette: Any) -> int:
    """Requests that went to the model: replayed ones, or recorded ones while recording."""
    return cassette.play_count if cassette.record_mode == "none" else len(cassette.data)


def recorded_usage(cassette: Any) -> list[dict[str, int]]:
    """Usage blocks of the recorded responses, read from the cassette itself."""
    return [json.loads(r["body"]["string"])["usage"] for r in cassette.responses]


def test_seed_extracts_and_second_run_is_served_from_cache(
    endpoint: dict[str, Any], vcr: Any, tmp_path: Path
) -> None:
    first = extract_file(RICH_SEED, cache_dir=tmp_path, **endpoint)
    assert not first.cached
    assert first.record.incidents, "the recorded answer has an incident"
    assert http_calls(vcr) == 1
    usage = recorded_usage(vcr)[0]
    assert first.usage.prompt_tokens == usage["prompt_tokens"] > 0
    assert first.usage.completion_tokens == usage["completion_tokens"]
    assert (first.usage.requests, first.usage.failed_requests) == (1, 0)

    document = first.model_dump(mode="json")
    jsonschema.validate(document, RESULT_SCHEMA)
    prov = first.provenance
    assert prov.model == endpoint["model"]
    assert prov.mode == "tool_call"
    assert prov.prompt_version == load_prompt("extract_incidents").version
    expected_schema = (
        compact_model(ArticleExtraction) if endpoint["compact_schema"] else ArticleExtraction
    )
    assert prov.schema_hash == schema_hash(expected_schema)

    second = extract_file(RICH_SEED, cache_dir=tmp_path, **endpoint)
    assert second.cached
    assert http_calls(vcr) == 1, "a cache hit must not call the model"
    assert second.usage.total_tokens == 0
    assert second.record == first.record
    assert second.provenance.cache_key == prov.cache_key


def test_changed_article_misses_the_cache(
    endpoint: dict[str, Any], vcr: Any, tmp_path: Path
) -> None:
    original = SEED.read_text(encoding="utf-8")
    changed = tmp_path / "changed.txt"
    changed.write_text(original.replace("at least 80", "at least 60"), encoding="utf-8")
    a = extract_file(SEED, cache_dir=tmp_path / "c", **endpoint)
    b = extract_file(changed, cache_dir=tmp_path / "c", **endpoint)
    assert not a.cached and not b.cached
    assert http_calls(vcr) == 2
    assert a.provenance.cache_key != b.provenance.cache_key


def test_cli_extract_prints_one_valid_json_document(
    endpoint: dict[str, Any], vcr: Any, tmp_path: Path
) -> None:
    args = ["extract", str(SEED), "--model", endpoint["model"], "--cache-dir", str(tmp_path)]
    if endpoint["base_url"]:
        args += ["--base-url", endpoint["base_url"]]
    args.append("--compact-schema" if endpoint["compact_schema"] else "--full-schema")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, RESULT_SCHEMA)
    assert document["cached"] is False
    assert "incident(s)" in result.stderr
    assert http_calls(vcr) == 1


def test_reask_budget_is_bounded_and_failure_keeps_its_usage(
    endpoint: dict[str, Any], vcr: Any, tmp_path: Path
) -> None:
    if endpoint["model"] != RECORD_MODEL:
        pytest.skip("only the small model gives invalid answers to re-ask")
    with pytest.raises(ValidationFailure) as caught:
        extract_file(REASK_SEED, cache_dir=tmp_path, max_validation_retries=2, **endpoint)
    assert http_calls(vcr) == 3, "one try and two re-asks, no more"
    assert "failed validation in 3 attempt(s)" in str(caught.value)
    assert caught.value.usage.requests == caught.value.usage.failed_requests == 3
    assert caught.value.usage.total_tokens == sum(u["total_tokens"] for u in recorded_usage(vcr))
    assert cache_stats(tmp_path).entries == 0, "only validated results are cached"
    reask = json.dumps(json.loads(vcr.requests[1].body)["messages"])
    assert "count bounds out of order" in reask, "the re-ask tells the model what was wrong"
