"""Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server) through
`openai` + `instructor`. Tool calling is the default mode: it works on OpenAI and on
llama.cpp's server, whose forced tool call is grammar-constrained; question jobs (the
grounded strategy) are forced tool calls too (questions.py)."""

from __future__ import annotations

import asyncio
import os
import re
import ssl
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx2
import instructor
import openai
from openai.types.chat import ChatCompletion

from llm_extract.backends.base import ModelReply, ModelRequest, QuestionJob
from llm_extract.backends.chat_http import ChatHTTP
from llm_extract.backends.questions import EndpointAsker, cut_off_as_length
from llm_extract.backends.retry import (
    awith_transport_retries,
    is_transient,
    with_transport_retries,
)
from llm_extract.backends.structured import (
    AttemptFailed,
    MalformedResponse,
    acall_structured,
    call_structured,
)
from llm_extract.core.errors import ConfigError, TransportError
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings

DEFAULT_MODEL = "gpt-4o-mini"
CHAT_PATH = "/chat/completions"
KEYLESS_PLACEHOLDER = "no-key"  # local servers ignore the key but the SDK wants one


# The request body is already plain JSON (instructor prepared it once per schema), so it
# goes to the endpoint through the client's generic post: chat.completions.create would
# re-walk it against the SDK's typed-dict annotations on every request.
def _post(client: openai.OpenAI, **body: Any) -> ChatCompletion:
    return client.post(CHAT_PATH, body=body, cast_to=ChatCompletion)


class _Spent:
    """Usage of the attempts that failed in transport, added to the final answer's."""

    def __init__(self) -> None:
        self.usage = Usage()

    def note(self, exc: BaseException) -> None:
        if isinstance(exc, AttemptFailed) and exc.usage is not None:
            self.usage = self.usage + exc.usage


class OpenAIBackend:
    name = "openai"
    prefers_compact_schema = False
    answers_questions = True  # through tool calls whose arguments the server constrains
    default_strategy = "whole"

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
            max_retries=0,  # transport retries live in backends/retry.py only
            timeout=settings.timeout_s,
            http_client=openai.DefaultHttpxClient(verify=_tls_context()),
        )
        # The async path reads its URL and credentials from the SDK client, so both paths
        # honour the same settings and environment (OPENAI_ORG_ID, OPENAI_PROJECT_ID).
        self._http = ChatHTTP(
            str(self._client.base_url).rstrip("/") + CHAT_PATH,
            _identity_headers(self._client),
            settings.timeout_s,
        )

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        if isinstance(request, QuestionJob):
            return self._questions(request)
        return self._complete(request, self._post)

    def _complete(self, request: ModelRequest, post: Callable[..., ChatCompletion]) -> ModelReply:
        spent = _Spent()
        try:
            reply = with_transport_retries(
                lambda: call_structured(post, self._mode, request, model=self.model),
                max_retries=self._settings.max_transport_retries,
                max_wait_s=self._settings.max_retry_wait_s,
                on_failed_attempt=spent.note,
            )
        except AttemptFailed as exc:
            raise self._transport_error(exc, spent) from None
        return ModelReply(value=reply.value, usage=spent.usage + reply.usage)

    async def acomplete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        if isinstance(request, QuestionJob):  # one short request after another
            return await asyncio.to_thread(self._questions, request)
        spent = _Spent()
        try:
            reply = await awith_transport_retries(
                lambda: acall_structured(self._http.post, self._mode, request, model=self.model),
                max_retries=self._settings.max_transport_retries,
                max_wait_s=self._settings.max_retry_wait_s,
                on_failed_attempt=spent.note,
            )
        except AttemptFailed as exc:
            raise self._transport_error(exc, spent) from None
        return ModelReply(value=reply.value, usage=spent.usage + reply.usage)

    def _questions(self, job: QuestionJob) -> ModelReply:
        seed = {"seed": self._settings.seed} if self._settings.seed is not None else {}
        asker = EndpointAsker(
            lambda request: self._complete(request, self._post_answer),
            job.system,
            job.context,
            sampling=seed,
            max_validation_retries=self._settings.max_validation_retries,
        )
        return ModelReply(value=job.run(asker), usage=asker.usage)

    def _post(self, **body: Any) -> ChatCompletion:
        return _post(self._client, **body)

    def _post_answer(self, **body: Any) -> ChatCompletion:
        """A question's request: a cut-off answer says so whatever the server claims."""
        return cut_off_as_length(_post(self._client, **body), body.get("max_tokens"))

    async def aclose(self) -> None:
        """Release the running loop's connections; the batch engine calls it at the end."""
        await self._http.aclose()

    def _transport_error(self, exc: AttemptFailed, spent: _Spent) -> TransportError:
        usage = spent.usage + exc.usage if exc.usage is not None else spent.usage
        return TransportError(self._redact(self._describe(exc.cause)), usage=usage)

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
        if isinstance(exc, MalformedResponse):
            return f"{where} {exc}, even after retries"
        return f"{where} failed: {type(exc).__name__}: {exc}"

    def _redact(self, message: str) -> str:
        """Servers sometimes echo a refused key in their error; it must not reach ours."""
        if self._key:
            message = message.replace(self._key, "***")
        return _KEY_PATTERN.sub("***", message)


@cache
def _tls_context() -> ssl.SSLContext:
    """The SDK's default TLS settings, built once per process: loading the CA bundle
    at every backend's creation, i.e. at every batch, showed in short batches."""
    return httpx2.create_ssl_context()


def _identity_headers(client: openai.OpenAI) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {client.api_key}",
        "User-Agent": f"llm-extract openai/{openai.__version__}",
    }
    if client.organization:
        headers["OpenAI-Organization"] = client.organization
    if client.project:
        headers["OpenAI-Project"] = client.project
    return headers


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
