"""An example backend plugin, as a third-party package would ship one: a class taking
Settings, named by an entry point in the `llm_extract.backends` group."""

from __future__ import annotations

from typing import Any, ClassVar

from llm_extract.backends.base import ModelReply, ModelRequest, QuestionJob
from llm_extract.core.errors import ConfigError
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings


class EchoBackend:
    """Answers every request with an empty record and counts the calls."""

    name = "echo"
    endpoint_kind = "example-plugin"
    mode = "none"
    prefers_compact_schema = False
    answers_questions = False
    default_strategy = "whole"
    calls: ClassVar[list[str]] = []

    def __init__(self, settings: Settings) -> None:
        self.model = settings.model or "echo-1"

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        if isinstance(request, QuestionJob):
            raise ConfigError("the echo backend takes no questions")
        EchoBackend.calls.append(request.messages[-1]["content"][:40])
        value = request.response_model.model_validate({"incidents": []})
        return ModelReply(value=value, usage=Usage(requests=1))

    async def acomplete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        return self.complete(request)
