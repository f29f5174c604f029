"""Cassettes are real recordings and carry no secret."""

from __future__ import annotations

import json
import re

import yaml

from tests.conftest import CASSETTES

SECRET_PATTERNS = [
    re.compile(r"authorization", re.I),
    re.compile(r"bearer", re.I),
    re.compile(r"sk-[A-Za-z0-9_-]{6,}"),
    re.compile(r"\borg-[A-Za-z0-9]{6,}"),
    re.compile(r"openai-(organization|project)", re.I),
    re.compile(r"set-cookie", re.I),
]


def cassette_files() -> list:
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert files, "no cassettes: run scripts/record_cassettes.py"
    return files


def test_no_cassette_contains_a_secret() -> None:
    for path in cassette_files():
        text = path.read_text(encoding="utf-8")
        for pattern in SECRET_PATTERNS:
            assert not pattern.search(text), f"{path.name} contains {pattern.pattern!r}"


def test_cassettes_are_server_recordings() -> None:
    """Each answer carries the server's own fingerprints (id, created, usage)."""
    for path in cassette_files():
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            assert interaction["request"]["uri"].endswith("/chat/completions")
            body = json.loads(interaction["response"]["body"]["string"])
            assert body["id"].startswith("chatcmpl-")
            assert body["created"] > 1_700_000_000
            assert body["usage"]["prompt_tokens"] > 0
