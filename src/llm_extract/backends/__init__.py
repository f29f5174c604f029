"""Model access: choose a backend by name. Third-party backends plug in through the
`llm_extract.backends` entry-point group (a callable taking Settings)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points

from llm_extract.backends.base import Asker, Backend, ModelReply, ModelRequest, QuestionJob
from llm_extract.core.errors import ConfigError
from llm_extract.core.settings import Settings

__all__ = [
    "Asker",
    "Backend",
    "ModelReply",
    "ModelRequest",
    "QuestionJob",
    "create_backend",
    "resolve_backend_name",
]


def resolve_backend_name(settings: Settings) -> str:
    """'openai' when an endpoint is configured, else the embedded model."""
    if settings.backend:
        return settings.backend
    if settings.base_url or os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        return "openai"
    return "local"


def _openai(settings: Settings) -> Backend:
    from llm_extract.backends.openai_compat import OpenAIBackend

    return OpenAIBackend(settings)


def _local(settings: Settings) -> Backend:
    from llm_extract.backends.local import LocalBackend

    return LocalBackend(settings)


_BUILT_IN: dict[str, Callable[[Settings], Backend]] = {"openai": _openai, "local": _local}


def _factories() -> dict[str, Callable[[Settings], Backend]]:
    """Built-ins are imported only when chosen: a cache hit must not pay for an SDK."""
    found = dict(_BUILT_IN)
    for ep in entry_points(group="llm_extract.backends"):
        found.setdefault(ep.name, lambda settings, ep=ep: ep.load()(settings))
    return found


def create_backend(settings: Settings, *, announce: bool = True) -> Backend:
    name = resolve_backend_name(settings)
    # Plugins cannot shadow a built-in, so a built-in skips the entry-point scan (~15 ms).
    factories = _BUILT_IN if name in _BUILT_IN else _factories()
    if name not in factories:
        raise ConfigError(f"unknown backend {name!r}; available: {', '.join(sorted(factories))}")
    backend = factories[name](settings)
    if announce and settings.backend is None and name == "local":
        print(
            f"llm-extract: no endpoint configured (OPENAI_BASE_URL / OPENAI_API_KEY / "
            f"--base-url), using the embedded model {backend.model.split(':')[0]}",
            file=sys.stderr,
        )
    return backend
