"""The one small protocol every model backend speaks: messages + schema in,
validated object + usage out. The pipeline never sees a provider SDK."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from llm_extract.core.results import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ModelRequest:
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    sampling: dict[str, Any] = field(default_factory=dict)
    max_validation_retries: int = 2


@dataclass(frozen=True)
class ModelJob:
    """Work that drives the model object itself, e.g. many small constrained questions
    sharing one cached prompt: only backends holding a model in-process run it."""

    run: Callable[[Any], tuple[BaseModel, Usage]]


@dataclass(frozen=True)
class ModelReply:
    value: BaseModel
    usage: Usage


class Backend(Protocol):
    """A model endpoint. Attributes feed provenance and the cache key.

    A backend holding per-event-loop resources (connections) may also define
    `async def aclose(self)`; the batch engine awaits it before its loop ends.
    """

    name: str
    endpoint_kind: str
    model: str
    mode: str
    prefers_compact_schema: bool

    def complete(self, request: ModelRequest) -> ModelReply:
        """Return a validated object or raise a BackendError subclass."""
        ...

    async def acomplete(self, request: ModelRequest) -> ModelReply:
        """`complete` for the batch engine's event loop."""
        ...

    def default_sampling(self) -> dict[str, Any]:
        """Sampling parameters the backend adds when the caller sets none."""
        ...
