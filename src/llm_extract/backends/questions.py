"""Constrained questions over an OpenAI-compatible endpoint: each answer is a forced tool
call whose parameters are the answer's JSON schema, which servers that constrain tool
arguments (OpenAI's strict tools, llama.cpp's grammar, vLLM's guided decoding) hold the
model to. The answer is validated against that schema as well, so an endpoint that does
not constrain is re-asked within the validation budget and then refused in one line,
never trusted."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.backends.structured import TokenLimit
from llm_extract.core.errors import BackendError, ConfigError, ValidationFailure
from llm_extract.core.results import Usage


class EndpointAsker:
    """An Asker whose questions are chat requests sharing their system and context prefix,
    so a server with prompt caching (llama.cpp, vLLM, OpenAI) reuses the article's."""

    def __init__(
        self,
        complete: Callable[[ModelRequest], ModelReply],
        system: str,
        context: str,
        *,
        sampling: dict[str, Any],
        max_validation_retries: int,
    ) -> None:
        self._complete = complete
        self.system, self.context = system, context
        self._sampling, self._retries = sampling, max_validation_retries
        self.usage = Usage()

    def ask(self, question: str, schema: dict[str, Any], max_tokens: int) -> Any:
        request = ModelRequest(
            messages=[
                {"role": "system", "content": self.system},
                {"role": "user", "content": self.context + question},
            ],
            response_model=answer_model(json.dumps(schema, sort_keys=True)),
            sampling={**self._sampling, "temperature": 0.0, "max_tokens": max_tokens},
            max_validation_retries=self._retries,
        )
        try:
            reply = self._complete(request)
        except TokenLimit as exc:  # cut off: no answer, as in-process
            self.usage += exc.usage or Usage()
            return None
        except ValidationFailure as exc:
            raise ValidationFailure(
                f"the endpoint's answers break the allowed options ({exc}); it does not "
                "constrain tool-call arguments to their JSON schema, which the grounded "
                "strategy needs: use --strategy whole",
                usage=self.usage + (exc.usage or Usage()),
            ) from None
        except BackendError as exc:  # e.g. transport: the questions before it were spent
            exc.usage = self.usage + (exc.usage or Usage())
            raise
        self.usage += reply.usage
        return reply.value.answer  # type: ignore[attr-defined]


def cut_off_as_length(response: Any, max_tokens: int | None) -> Any:
    """`response` with finish_reason "length" if its forced tool call was cut off.

    llama.cpp's server reports a forced tool call as finish_reason "tool_calls" even when
    max_tokens stopped it mid-argument; taken at its word, a cut-off answer would be
    re-asked and then blamed on an endpoint that does not constrain. A call that used
    the whole token budget and whose arguments are not complete JSON was cut off."""
    usage = getattr(response, "usage", None)
    used = getattr(usage, "completion_tokens", None)
    if max_tokens is None or used is None or used < max_tokens:
        return response
    for choice in getattr(response, "choices", None) or []:
        if choice.finish_reason != "tool_calls":
            continue
        calls = getattr(choice.message, "tool_calls", None) or []
        try:
            for call in calls:
                json.loads(call.function.arguments)
        except (json.JSONDecodeError, TypeError, AttributeError):
            choice.finish_reason = "length"
    return response


@lru_cache(maxsize=256)
def answer_model(schema_json: str) -> type[BaseModel]:
    """A pydantic model {answer: <schema>} for the JSON-schema shapes questions use: a
    string enum, or an array of one with min/max items."""
    schema = json.loads(schema_json)
    annotation: Any
    if schema.get("type") == "string" and schema.get("enum"):
        annotation = Literal[tuple(schema["enum"])]
        field = Field()
    elif schema.get("type") == "array" and (items := schema.get("items", {})).get("enum"):
        annotation = list[Literal[tuple(items["enum"])]]  # type: ignore[misc]
        field = Field(min_length=schema.get("minItems"), max_length=schema.get("maxItems"))
    else:
        raise ConfigError(f"no constrained question can have the answer schema {schema_json}")
    return create_model("Answer", __config__=ConfigDict(extra="forbid"), answer=(annotation, field))
