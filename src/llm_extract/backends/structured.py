"""The instructor call both backends share: parse, re-ask on invalid output, and
account tokens for every attempt, the failed ones included.

The raw `create` is wrapped so that we count requests and tokens ourselves instead of
trusting each SDK to report usage on failure paths.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import instructor
from instructor.core import IncompleteOutputException, InstructorRetryException

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.core.errors import BackendError, ValidationFailure
from llm_extract.core.results import Usage

# instructor logs every failed attempt at ERROR; our errors already say it in one line.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False


class AttemptFailed(BackendError):
    """The endpoint raised; `cause` is the provider's own exception for retry decisions."""

    def __init__(self, message: str, *, usage: Usage, cause: BaseException) -> None:
        super().__init__(message, usage=usage)
        self.cause = cause


class _Meter:
    """Counts requests and tokens of every raw call made during one structured call."""

    def __init__(self, create: Callable[..., Any]) -> None:
        self._create = create
        self.usage = Usage()
        self.last_error: BaseException | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.usage.requests += 1
        self.last_error = None
        try:
            response = self._create(*args, **kwargs)
        except BaseException as exc:
            self.usage.failed_requests += 1
            self.last_error = exc
            raise
        raw = getattr(response, "usage", None)
        prompt = int(getattr(raw, "prompt_tokens", 0) or 0)
        completion = int(getattr(raw, "completion_tokens", 0) or 0)
        self.usage.prompt_tokens += prompt
        self.usage.completion_tokens += completion
        self.usage.total_tokens += int(getattr(raw, "total_tokens", 0) or 0) or prompt + completion
        return response


def call_structured(
    create: Callable[..., Any], mode: instructor.Mode, request: ModelRequest, **extra: Any
) -> ModelReply:
    """One structured call with its validation re-ask budget and no transport retries."""
    meter = _Meter(create)
    patched = instructor.patch(create=meter, mode=mode)
    try:
        value = patched(
            messages=request.messages,
            response_model=request.response_model,
            max_retries=request.max_validation_retries,  # re-asks after the first try
            **request.sampling,
            **extra,
        )
    except (InstructorRetryException, IncompleteOutputException) as exc:
        usage = meter.usage
        if meter.last_error is not None:
            raise AttemptFailed(
                _brief(meter.last_error), usage=usage, cause=meter.last_error
            ) from None
        usage.failed_requests = usage.requests
        if isinstance(exc, IncompleteOutputException):
            message = (
                "the model hit its token limit before finishing the record "
                "(finish_reason=length); raise --max-tokens or use a larger model"
            )
        else:
            message = (
                f"the model's output failed validation in {usage.requests} attempt(s): "
                f"{_brief(exc.__cause__ or exc)}"
            )
        raise ValidationFailure(message, usage=usage) from None
    usage = meter.usage
    usage.failed_requests = usage.requests - 1
    return ModelReply(value=value, usage=usage)


def _brief(exc: BaseException) -> str:
    """One readable line: the first validation error with its field path, or the message."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError) and (errors := exc.errors()):
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"]) or exc.title
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{where}: {first['msg']}{more}"
    text = " ".join(str(exc).strip().split())
    return f"{type(exc).__name__}: {text[:300]}"
