"""Where `prompts/` and `schemas/` live: inside the installed wheel, or at the top of a
source checkout (an editable install keeps them there)."""

from __future__ import annotations

from pathlib import Path

from llm_extract.core.errors import ConfigError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"the {name}/ folder is missing from this installation")
