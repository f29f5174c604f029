"""Model access: choose a backend by name from the registry (registry.py), where
built-ins and plugins (the `llm_extract.backends` entry-point group) are entries alike."""

from __future__ import annotations

import os
import sys

from llm_extract.backends.base import Asker, Backend, ModelReply, ModelRequest, QuestionJob
from llm_extract.backends.registry import BackendEntry, backends, lookup, register_lazy
from llm_extract.core.settings import Settings

__all__ = [
    "Asker",
    "Backend",
    "BackendEntry",
    "ModelReply",
    "ModelRequest",
    "QuestionJob",
    "backends",
    "create_backend",
    "register_lazy",
    "resolve_backend_name",
]


def resolve_backend_name(settings: Settings) -> str:
    """'openai' when an endpoint is configured, else the embedded model."""
    if settings.backend:
        return settings.backend
    if settings.base_url or os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        return "openai"
    return "local"


def create_backend(settings: Settings, *, announce: bool = True) -> Backend:
    name = resolve_backend_name(settings)
    backend = lookup(name).load()(settings)
    if announce and settings.backend is None and name == "local":
        print(
            f"llm-extract: no endpoint configured (OPENAI_BASE_URL / OPENAI_API_KEY / "
            f"--base-url), using the embedded model {backend.model.split(':')[0]}",
            file=sys.stderr,
        )
    return backend
