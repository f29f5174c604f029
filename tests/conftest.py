"""Shared test set-up: cassette replay (vcrpy via pytest-recording) with secrets scrubbed.

Cassettes are recorded by `python scripts/record_cassettes.py` against a real
llama.cpp server (and OpenAI when OPENAI_API_KEY is set); tests only replay them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Re-ask prompts quote pydantic's error text; without the docs URL (which names the
# pydantic version) a recorded re-ask matches on any pydantic release.
os.environ["PYDANTIC_ERRORS_INCLUDE_URL"] = "0"

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASSETTES = ROOT / "cassettes"

# Where scripts/record_cassettes.py runs the llama.cpp server; replays match on it.
RECORD_BASE_URL = "http://127.0.0.1:8765/v1"
RECORD_MODEL = "smollm2-135m"

SECRET_REQUEST_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
]
SECRET_RESPONSE_HEADERS = {"openai-organization", "openai-project", "set-cookie", "cookie"}


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": SECRET_REQUEST_HEADERS,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's keys, endpoints or cache."""
    for name in ("OPENAI_BASE_URL", "LLM_EXTRACT_MODEL", "LLM_EXTRACT_MODEL_PATH"):
        monkeypatch.delenv(name, raising=False)
    if not os.environ.get("LLM_EXTRACT_RECORDING"):
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("LLM_EXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture(autouse=True)
def _fresh_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API keeps one Extractor per settings; a reused port must not reuse a client."""
    from llm_extract.interfaces import extractors

    monkeypatch.setattr(extractors, "_extractors", {})


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# The review-page fixtures (real pipeline results for the seeds), shared by two modules.
from tests.report_inputs import inputs, report_html  # noqa: E402, F401
