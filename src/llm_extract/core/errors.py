"""Errors users can act on. Each message is one line that says what to do next.

LLMExtractError            the CLI prints these as one line, never as a traceback
├── InputError             the article or a record file cannot be used      (exit 2)
├── ConfigError            settings are incomplete or inconsistent           (exit 2)
└── BackendError           the model gave no valid answer; carries the usage (exit 1)
    ├── TransportError     the endpoint failed after every transport retry
    └── ValidationFailure  the answers failed validation through the re-ask budget
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llm_extract.core.results import Usage


class LLMExtractError(Exception):
    """Base class: the CLI prints these as one line, never as a traceback."""


class InputError(LLMExtractError):
    """The article cannot be used (missing, empty, binary, undecodable, too large)."""


class ConfigError(LLMExtractError):
    """Settings are incomplete or inconsistent (unknown backend, missing model file)."""


class BackendError(LLMExtractError):
    """The model could not give a valid answer (transport failure or invalid output).

    `usage` counts every attempt made before giving up, so failures are billed too."""

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class TransportError(BackendError):
    """The endpoint failed after every allowed transport retry, or refused the request."""


class ValidationFailure(BackendError):
    """The model's answers failed schema validation through the whole re-ask budget."""


class OutputError(LLMExtractError):
    """The output could not be written (disk full, I/O error). A batch's file holds every
    record written before, and the same command resumes from it."""


def describe_error(exc: BaseException, *, root: str | None = "record") -> str:
    """One readable line for an error: a validation error as its first field and message
    ("field: message (and N more)"; `root` names the whole object, None its model), anything else as
    its type and message."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError) and (errors := exc.errors()):
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"]) or root or exc.title
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{where}: {first['msg']}{more}"
    text = " ".join(str(exc).strip().split())
    return f"{type(exc).__name__}: {text[:300]}"
