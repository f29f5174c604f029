"""Errors users can act on. Each message is one line that says what to do next."""

from __future__ import annotations


class LLMExtractError(Exception):
    """Base class: the CLI prints these as one line, never as a traceback."""


class InputError(LLMExtractError):
    """The article cannot be used (missing, empty, binary, undecodable, too large)."""


class ConfigError(LLMExtractError):
    """Settings are incomplete or inconsistent (unknown backend, missing model file)."""


class BackendError(LLMExtractError):
    """The model could not give a valid answer (transport failure or invalid output)."""

    def __init__(self, message: str, *, usage: object | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class TransportError(BackendError):
    """The endpoint failed after every allowed transport retry, or refused the request."""


class ValidationFailure(BackendError):
    """The model's answers failed schema validation through the whole re-ask budget."""
