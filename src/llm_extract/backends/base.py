"""The one small protocol every model backend speaks: messages + schema in,
validated object + usage out. The pipeline never sees a provider SDK."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel

from llm_extract.core.results import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ModelRequest:
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    sampling: dict[str, Any] = field(default_factory=dict)
    max_validation_retries: int = 2


class Asker(Protocol):
    """Short questions about one text, each answer constrained to a JSON schema.

    Every question's prompt starts with the same system message and context, so a
    backend can keep that prefix's KV cache between questions. `usage` counts every
    question as a request of its own."""

    usage: Usage

    def ask(self, question: str, schema: dict[str, Any], max_tokens: int) -> Any:
        """The answer: a value the schema allows, or None when the model ran out of
        tokens before finishing it."""
        ...


def answer_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The object every answer comes wrapped in: {"answer": <value of `schema`>}."""
    return {"type": "object", "properties": {"answer": schema}, "required": ["answer"]}


@dataclass(frozen=True)
class QuestionJob:
    """Work made of constrained questions over a shared prefix (the grounded strategy):
    `run` asks them through the backend's Asker and returns the value it builds.

    A backend that cannot constrain answers to a schema raises ConfigError for it."""

    system: str
    context: str
    run: Callable[[Asker], BaseModel]


@dataclass(frozen=True)
class ModelReply:
    value: BaseModel
    usage: Usage


class Backend(Protocol):
    """A model endpoint. Attributes feed provenance and the cache key.

    A backend whose model is served may also have `endpoint` (str): where it is served,
    as scheme://host[:port]/path with no credentials, so that two servers answering to
    one model name never share cached answers; in-process backends have none.
    A backend holding per-event-loop resources (connections) may also define
    `async def aclose(self)`; the batch engine awaits it before its loop ends.
    """

    name: str
    endpoint_kind: str
    model: str
    mode: str
    prefers_compact_schema: bool
    answers_questions: bool  # runs QuestionJobs (answers constrained to a JSON schema)
    default_strategy: Literal["grounded", "whole"]  # what --strategy auto picks

    def complete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        """Return a validated object or raise a BackendError subclass."""
        ...

    async def acomplete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        """`complete` for the batch engine's event loop."""
        ...

    def default_sampling(self) -> dict[str, Any]:
        """Sampling parameters the backend adds when the caller sets none."""
        ...
