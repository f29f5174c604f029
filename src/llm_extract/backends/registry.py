"""Backends as data: a name, where its factory lives ("module:attribute") and one line
about it. Built-ins and plugins are the same kind of entry, and nothing is imported
until a backend is chosen: a cache hit never pays for an SDK.

Plugins register through the `llm_extract.backends` entry-point group (the value is a
callable taking Settings and returning a Backend), or in code with `register_lazy`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from llm_extract.core.errors import ConfigError
from llm_extract.core.settings import Settings

if TYPE_CHECKING:
    from llm_extract.backends.base import Backend

ENTRY_POINT_GROUP = "llm_extract.backends"


@dataclass(frozen=True)
class BackendEntry:
    name: str
    target: str  # "package.module:factory"
    summary: str = ""
    plugin: bool = False

    def load(self) -> Callable[[Settings], Backend]:
        module, _, attribute = self.target.partition(":")
        try:
            factory: Callable[[Settings], Backend] = getattr(import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"backend {self.name!r} cannot be loaded from {self.target}: {exc}"
            ) from None
        return factory


BUILT_IN = {
    entry.name: entry
    for entry in (
        BackendEntry(
            "openai",
            "llm_extract.backends.openai_compat:OpenAIBackend",
            "OpenAI or any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server)",
        ),
        BackendEntry(
            "local",
            "llm_extract.backends.local:LocalBackend",
            "the embedded GGUF model, in-process through llama.cpp",
        ),
    )
}
_registered: dict[str, BackendEntry] = {}


def register_lazy(name: str, target: str, summary: str = "") -> None:
    """Make `name` a backend whose factory is imported from `target` when first chosen.
    A built-in's name cannot be taken."""
    if name in BUILT_IN:
        raise ConfigError(f"backend name {name!r} is a built-in's")
    _registered[name] = BackendEntry(name, target, summary, plugin=True)


@cache
def _plugins() -> dict[str, BackendEntry]:
    """The entry-point group, scanned once per process."""
    found = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name not in BUILT_IN:
            found[point.name] = BackendEntry(point.name, point.value, plugin=True)
    return found


def backends() -> dict[str, BackendEntry]:
    """Every backend that can be chosen, built-ins first, then plugins by name."""
    extra = {**_plugins(), **_registered}
    return {**BUILT_IN, **dict(sorted(extra.items()))}


def lookup(name: str) -> BackendEntry:
    """A built-in skips the entry-point scan: plugins cannot shadow one."""
    entry = BUILT_IN.get(name) or _registered.get(name) or backends().get(name)
    if entry is None:
        raise ConfigError(f"unknown backend {name!r}; available: {', '.join(backends())}")
    return entry
