"""A backend double for pipeline tests: answers with a real recorded model answer
(taken from a cassette, never typed) and counts the calls it receives."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import yaml

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.core.errors import TransportError
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import Usage
from tests.conftest import CASSETTES

RECORDED = (
    CASSETTES
    / "test_replay"
    / ("test_seed_extracts_and_second_run_is_served_from_cache[llamacpp].yaml")
)


def recorded_answer() -> tuple[dict[str, Any], dict[str, int]]:
    """The tool-call arguments and usage the llama.cpp server really returned."""
    interaction = yaml.safe_load(RECORDED.read_text(encoding="utf-8"))["interactions"][0]
    body = json.loads(interaction["response"]["body"]["string"])
    arguments = body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    return json.loads(arguments), body["usage"]


class CountingBackend:
    name = "counting"
    endpoint_kind = "test-double"
    mode = "tool_call"
    prefers_compact_schema = False
    answers_questions = False
    default_strategy = "whole"

    def __init__(
        self, model: str = "double-1", *, delay_s: float = 0.0, fail_on: str | None = None
    ) -> None:
        self.model = model
        self.delay_s = delay_s
        self.fail_on = fail_on
        self.calls: list[ModelRequest] = []
        self.active = 0
        self.peak_active = 0
        self._lock = threading.Lock()
        self._answer, self._usage = recorded_answer()

    def default_sampling(self) -> dict[str, Any]:
        return {}

    async def acomplete(self, request: ModelRequest) -> ModelReply:
        return await asyncio.to_thread(self.complete, request)

    def complete(self, request: ModelRequest) -> ModelReply:
        with self._lock:
            self.calls.append(request)
            self.active += 1
            self.peak_active = max(self.peak_active, self.active)
        try:
            time.sleep(self.delay_s)
            if self.fail_on and self.fail_on in request.messages[-1]["content"]:
                raise TransportError("endpoint answered HTTP 503 after retries", usage=Usage())
            usage = Usage(
                prompt_tokens=self._usage["prompt_tokens"],
                completion_tokens=self._usage["completion_tokens"],
                total_tokens=self._usage["total_tokens"],
                requests=1,
            )
            return ModelReply(value=ArticleExtraction.model_validate(self._answer), usage=usage)
        finally:
            with self._lock:
                self.active -= 1
