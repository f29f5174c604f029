"""Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server) through
`openai` + `instructor`. Tool calling is the default mode: it works on OpenAI and on
llama.cpp's server, whose forced tool call is grammar-constrained; question jobs (the
grounded strategy) are forced tool calls too (questions.py)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Callable
from typing import Any

import httpx2
import instructor
import openai
from openai.types.chat import ChatCompletion

from llm_extract.backends.base import ModelReply, ModelRequest, QuestionJob
from llm_extract.backends.chat_http import ChatHTTP, env_proxy
from llm_extract.backends.credentials import (
    Redactor,
    clear_text_warning,
    endpoint_identity,
    secrets_of,
)
from llm_extract.backends.faults import describe
from llm_extract.backends.questions import EndpointAsker, cut_off_as_length
from llm_extract.backends.replies import completion_from
from llm_extract.backends.retry import (
    RetryPolicy,
    awith_transport_retries,
    request_deadline,
    with_transport_retries,
)
from llm_extract.backends.structured import AttemptFailed, acall_structured, call_structured
from llm_extract.backends.sync_http import http_client, unwrapped, within
from llm_extract.core.errors import ConfigError, TransportError
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"
CHAT_PATH = "/chat/completions"
KEYLESS_PLACEHOLDER = "no-key"  # local servers ignore the key but the SDK wants one
_WARNED: set[str] = set()  # endpoints warned about this process, so that it says it once


# The request body is already plain JSON (instructor prepared it once per schema), so it
# goes to the endpoint through the client's generic post: chat.completions.create would
# re-walk it against the SDK's typed-dict annotations on every request. The body comes
# back raw, to be parsed by the code the batch's client uses too.
def _post(client: openai.OpenAI, timeout_s: float, **body: Any) -> ChatCompletion:
    try:
        with within(request_deadline(timeout_s)):
            response = client.post(CHAT_PATH, body=body, cast_to=httpx2.Response)
    except openai.APIConnectionError as exc:
        raise unwrapped(exc) from None
    return completion_from(
        response.status_code, response.content, response.headers.get("content-type")
    )


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
        self._settings = settings
        self.policy = RetryPolicy.of(settings)
        url = base_url or OPENAI_URL
        self.endpoint = endpoint_identity(url)  # part of the cache key and of messages
        self.client = openai.OpenAI(
            api_key=key or KEYLESS_PLACEHOLDER,
            base_url=url,
            max_retries=0,  # transport retries live in backends/retry.py only
            timeout=settings.timeout_s,  # per socket operation; the deadline is sync_http's
            http_client=http_client(
                proxy=env_proxy(url), max_response_bytes=settings.max_response_bytes
            ),
        )
        self._redactor = Redactor(secrets_of(key, url))
        _warn_once(url, key)
        # The async path reads its URL and credentials from the SDK client, so both paths
        # honour the same settings and environment (OPENAI_ORG_ID, OPENAI_PROJECT_ID).
        self._http = ChatHTTP(
            str(self.client.base_url).rstrip("/") + CHAT_PATH,
            _identity_headers(self.client),
            timeout_s=settings.timeout_s,
            max_response_bytes=settings.max_response_bytes,
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
                self.policy,
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
                self.policy,
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
        return _post(self.client, self.policy.timeout_s, **body)

    def _post_answer(self, **body: Any) -> ChatCompletion:
        """A question's request: a cut-off answer says so whatever the server claims."""
        return cut_off_as_length(self._post(**body), body.get("max_tokens"))

    async def aclose(self) -> None:
        """Release the running loop's connections; the batch engine calls it at the end."""
        await self._http.aclose()

    def _transport_error(self, exc: AttemptFailed, spent: _Spent) -> TransportError:
        usage = spent.usage + exc.usage if exc.usage is not None else spent.usage
        message = describe(exc, where=f"{self.endpoint} (model {self.model})", policy=self.policy)
        return TransportError(self.redact(message), usage=usage)

    def redact(self, message: str) -> str:
        """Servers sometimes echo a refused key or Basic token; it must not reach ours."""
        return _KEY_PATTERN.sub("***", self._redactor(message))


def _warn_once(url: str, key: str | None) -> None:
    """A key (or URL credentials) bound for plain http to another machine: say so once."""
    warning = clear_text_warning(url, key)
    if warning and (where := endpoint_identity(url)) not in _WARNED:
        _WARNED.add(where)
        print(warning, file=sys.stderr)


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
