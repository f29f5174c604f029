"""Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server) through
`openai` + `instructor`. Tool calling is the default mode: it works on OpenAI and on
llama.cpp's server, whose forced tool call is grammar-constrained."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import instructor
import openai

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.backends.retry import is_transient, with_transport_retries
from llm_extract.backends.structured import AttemptFailed, call_structured
from llm_extract.core.errors import ConfigError, TransportError
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings

DEFAULT_MODEL = "gpt-4o-mini"
KEYLESS_PLACEHOLDER = "no-key"  # local servers ignore the key but the SDK wants one


class OpenAIBackend:
    name = "openai"
    prefers_compact_schema = False

    def __init__(self, settings: Settings) -> None:
        base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = settings.api_key.get_secret_value() if settings.api_key else None
        key = key or os.environ.get("OPENAI_API_KEY")
        if not key and base_url is None:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY in the environment, or --base-url "
                "for a local server (Ollama, vLLM, llama.cpp)"
            )
        self.model = settings.model or os.environ.get("LLM_EXTRACT_MODEL") or DEFAULT_MODEL
        self.mode = settings.mode or instructor.Mode.TOOLS.value
        try:
            self._mode = instructor.Mode(self.mode)
        except ValueError:
            raise ConfigError(f"unknown instructor mode {self.mode!r}") from None
        self.endpoint_kind = "openai" if base_url is None else "openai-compatible"
        self.endpoint = _redact_url(base_url) if base_url else "api.openai.com"
        self._settings = settings
        self._key = key
        self._client = openai.OpenAI(
            api_key=key or KEYLESS_PLACEHOLDER,
            base_url=base_url,
            max_retries=0,
            timeout=settings.timeout_s,
        )

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest) -> ModelReply:
        spent = Usage()

        def note_failure(exc: BaseException) -> None:
            nonlocal spent
            if isinstance(exc, AttemptFailed) and isinstance(exc.usage, Usage):
                spent = spent + exc.usage

        def attempt() -> ModelReply:
            return call_structured(
                self._client.chat.completions.create, self._mode, request, model=self.model
            )

        try:
            reply = with_transport_retries(
                attempt,
                max_retries=self._settings.max_transport_retries,
                max_wait_s=self._settings.max_retry_wait_s,
                on_failed_attempt=note_failure,
            )
        except AttemptFailed as exc:
            usage = spent + exc.usage if isinstance(exc.usage, Usage) else spent
            raise TransportError(self._redact(self._describe(exc.cause)), usage=usage) from None
        return ModelReply(value=reply.value, usage=spent + reply.usage)

    def _describe(self, exc: BaseException) -> str:
        where = f"{self.endpoint} (model {self.model})"
        if isinstance(exc, openai.APIStatusError):
            detail = _error_detail(exc)
            retried = (
                " after retries"
                if is_transient(exc) and self._settings.max_transport_retries
                else ""
            )
            return f"{where} answered HTTP {exc.status_code}{retried}: {detail}"
        if isinstance(exc, openai.APITimeoutError):
            return f"{where} timed out after {self._settings.timeout_s:g}s, even after retries"
        if isinstance(exc, openai.APIConnectionError):
            return f"cannot reach {where}: connection failed, even after retries"
        return f"{where} failed: {type(exc).__name__}: {exc}"

    def _redact(self, message: str) -> str:
        """Servers sometimes echo a refused key in their error; it must not reach ours."""
        if self._key:
            message = message.replace(self._key, "***")
        return _KEY_PATTERN.sub("***", message)


_KEY_PATTERN = re.compile(r"\bsk-[A-Za-z0-9_-]{8,}")


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if message:
            return str(message)[:300]
    return str(exc.message)[:300]


def _redact_url(url: str) -> str:
    """Host and path only: a base URL may embed credentials or a key in its query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
