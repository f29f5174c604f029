"""Structured calls shared by the backends: parse, re-ask on invalid output, and
account tokens for every attempt, the failed ones included.

Built on instructor's public v2 mode handlers (request preparation, response parsing,
re-ask messages), prepared once per schema and mode: instructor's per-call patching
re-walks and deep-copies the schema on every request, which capped a batch far below
what the endpoint could serve.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from functools import cache
from typing import Any

from instructor.core import IncompleteOutputException, ResponseParsingError
from instructor.v2 import Mode, ModeHandlers, Provider, mode_registry
from pydantic import BaseModel, ValidationError

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.backends.drive import adrive, drive
from llm_extract.core.errors import BackendError, ValidationFailure, describe_error
from llm_extract.core.results import Usage

# instructor logs failed attempts at ERROR; our errors already say it in one line.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

_REASKABLE = (ValidationError, json.JSONDecodeError, ResponseParsingError)


class AttemptFailed(BackendError):
    """The endpoint raised; `cause` is the provider's own exception for retry decisions.

    The retry loop fills in `attempts` (transport attempts made, this one included) and
    `out_of_time` (retries stopped by the call's time limit) when it gives up."""

    def __init__(self, message: str, *, usage: Usage, cause: BaseException) -> None:
        super().__init__(message, usage=usage)
        self.cause = cause
        self.attempts = 1
        self.out_of_time = False


class TokenLimit(ValidationFailure):
    """The answer was cut off at the token limit (finish_reason=length)."""


class MalformedResponse(Exception):
    """The endpoint answered, but its body is not the JSON it promised.

    Deliberately not a ValueError: instructor would take it for an invalid answer and
    re-ask; it is a transport fault (a proxy or server cutting the body) instead.
    """


def _unparsable(exc: BaseException) -> BaseException:
    """The SDK's JSONDecodeError on a cut body becomes a transport fault."""
    if isinstance(exc, json.JSONDecodeError):
        return MalformedResponse(f"answered with a malformed body ({type(exc).__name__}: {exc})")
    return exc


@dataclass(frozen=True)
class Prepared:
    """What instructor derives from a schema for one mode: the extra request arguments
    (tools / response_format) and the model its parser validates into."""

    handlers: ModeHandlers
    response_model: type[BaseModel]
    arguments: dict[str, Any]


@cache
def prepare(response_model: type[BaseModel], mode: Mode) -> Prepared:
    handlers = mode_registry.get_handlers(Provider.OPENAI, mode)
    model, arguments = handlers.request_handler(response_model=response_model, kwargs={})
    return Prepared(handlers, model, arguments)


def usage_of(response: Any) -> Usage:
    raw = getattr(response, "usage", None)
    prompt = int(getattr(raw, "prompt_tokens", 0) or 0)
    completion = int(getattr(raw, "completion_tokens", 0) or 0)
    total = int(getattr(raw, "total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=total)


Attempts = Generator[dict[str, Any], Any, ModelReply]


def attempts_of(prepared: Prepared, request: ModelRequest, extra: dict[str, Any]) -> Attempts:
    """Yield the arguments of each request and receive its response (or have the
    exception it raised thrown in); return the validated reply."""
    arguments = {
        **prepared.arguments,
        "messages": list(request.messages),
        **request.sampling,
        **extra,
    }
    usage = Usage()
    for _ in range(request.max_validation_retries + 1):
        usage.requests += 1
        try:
            response = yield arguments
        except Exception as exc:  # the endpoint failed: the transport layer decides
            usage.failed_requests += 1
            cause = _unparsable(exc)
            raise AttemptFailed(
                describe_error(cause, root=None), usage=usage, cause=cause
            ) from None
        usage = usage + usage_of(response)
        try:
            value = prepared.handlers.response_parser(
                response=response, response_model=prepared.response_model
            )
        except IncompleteOutputException:
            usage.failed_requests = usage.requests
            raise TokenLimit(
                "the model hit its token limit before finishing the record "
                "(finish_reason=length); raise --max-tokens or use a larger model",
                usage=usage,
            ) from None
        except AssertionError as exc:  # instructor's word for a refusal
            usage.failed_requests = usage.requests
            raise ValidationFailure(
                f"the model refused: {_refusal_text(exc)}", usage=usage
            ) from None
        except _REASKABLE as exc:
            last_error: Exception = exc
            arguments = prepared.handlers.reask_handler(
                kwargs=arguments, response=response, exception=exc
            )
            continue
        usage.failed_requests = usage.requests - 1
        return ModelReply(value=value, usage=usage)
    usage.failed_requests = usage.requests
    raise ValidationFailure(
        f"the model's output failed validation in {usage.requests} attempt(s): "
        f"{describe_error(last_error, root=None)}",
        usage=usage,
    )


def call_structured(
    create: Callable[..., Any], mode: Mode, request: ModelRequest, **extra: Any
) -> ModelReply:
    """One structured call with its validation re-ask budget and no transport retries."""
    attempts = attempts_of(prepare(request.response_model, mode), request, extra)
    return drive(attempts, lambda arguments: create(**arguments))


async def acall_structured(
    create: Callable[..., Awaitable[Any]], mode: Mode, request: ModelRequest, **extra: Any
) -> ModelReply:
    """`call_structured` for an async `create`."""
    attempts = attempts_of(prepare(request.response_model, mode), request, extra)
    return await adrive(attempts, lambda arguments: create(**arguments))


def _refusal_text(exc: BaseException) -> str:
    """instructor reports a refusal as AssertionError('Unable to generate ... due to X')."""
    return " ".join(str(exc).split("due to", 1)[-1].split())[:300]
