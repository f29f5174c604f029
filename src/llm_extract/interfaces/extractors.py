"""The one Extractor per distinct settings that every API call shares, and the settings
merge they all use; re-exported by api.py."""

from __future__ import annotations

import sys
import threading
from typing import Any

from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.prompts import prompt_file_hash

_extractors: dict[tuple[str, str], Extractor] = {}
_lock = threading.Lock()


def merged_settings(settings: Settings | None, options: dict[str, Any]) -> Settings:
    """Validated settings: model_copy would skip validation and leave a key as plain str."""
    base = settings or Settings()
    return Settings.model_validate({**base.model_dump(), **options}) if options else base


def get_extractor(settings: Settings | None = None, **options: Any) -> Extractor:
    """A shared Extractor per distinct settings (and prompt file text), so the embedded
    model loads once."""
    chosen = merged_settings(settings, options)
    secret = chosen.api_key.get_secret_value() if chosen.api_key else ""
    # A prompt file edited since its Extractor was made must not be served the old text.
    key = (chosen.model_dump_json(), secret, prompt_file_hash(chosen.prompt))
    with _lock:
        if key not in _extractors:
            _extractors[key] = Extractor(chosen)
        return _extractors[key]


def to_stderr(message: str) -> None:
    print(f"llm-extract: {message}", file=sys.stderr)
