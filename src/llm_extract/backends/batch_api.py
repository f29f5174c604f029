"""Requests answered later, in bulk: OpenAI's Batch API and batch files (vLLM's
`run-batch`). The only module of these paths that touches the SDK.

One article is one request line whose body is exactly what the live openai backend
posts first (the first step of structured.py's attempts, not a second builder), and
its answer is parsed and validated by those same attempts, so a batch answer and a live
one pass the same Pydantic validation. Answer lines from OpenAI and from vLLM share one
shape ({custom_id, response: {status_code, body}, error}) and one parser here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import openai
from instructor.v2 import Mode
from openai.types import Batch

from llm_extract.backends.base import Backend, ModelReply, ModelRequest
from llm_extract.backends.chat_http import env_proxy
from llm_extract.backends.faults import describe
from llm_extract.backends.openai_compat import OpenAIBackend
from llm_extract.backends.replies import ResponseTooLarge, completion_from, error_detail, excerpt
from llm_extract.backends.retry import request_deadline, with_transport_retries
from llm_extract.backends.structured import (
    AttemptFailed,
    Attempts,
    MalformedResponse,
    attempts_of,
    prepare,
    usage_of,
)
from llm_extract.backends.sync_http import http_client, within
from llm_extract.core.errors import ConfigError, InputError, TransportError, ValidationFailure
from llm_extract.core.results import Usage

CHAT_URL = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"  # the only window the Batch API offers
MAX_FILE_BYTES = 4 * 1024**3  # an output file of a full 200 MB input, with room
TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})
NEEDS_OPENAI = (
    "{via} writes requests for an OpenAI-compatible endpoint: use the openai backend "
    "(--backend openai, with OPENAI_API_KEY or --base-url)"
)
T = TypeVar("T")


def openai_backend(backend: Backend, via: str) -> OpenAIBackend:
    """The live backend whose requests a batch line repeats; others cannot have one."""
    if not isinstance(backend, OpenAIBackend):
        raise ConfigError(NEEDS_OPENAI.format(via=via))
    return backend


def _live_attempts(request: ModelRequest, backend: OpenAIBackend) -> Attempts:
    """The attempts the live backend makes for `request` (OpenAIBackend._complete)."""
    prepared = prepare(request.response_model, Mode(backend.mode))
    return attempts_of(prepared, request, {"model": backend.model})


def request_body(request: ModelRequest, backend: OpenAIBackend) -> dict[str, Any]:
    """The chat-completions body the live backend posts first for `request`."""
    return next(_live_attempts(request, backend))


def request_line(custom_id: str, request: ModelRequest, backend: OpenAIBackend) -> dict[str, Any]:
    """One line of a batch input file, for OpenAI's Batch API and `vllm run-batch` alike."""
    body = request_body(request, backend)
    return {"custom_id": custom_id, "method": "POST", "url": CHAT_URL, "body": body}


class Invalid(ValidationFailure):
    """A batch answer that did not validate while re-asks were left: `reask` is the
    follow-up request the live path would send next (the answer and the error added);
    `usage` counts the batch answer."""

    def __init__(self, message: str, *, usage: Usage, reask: ModelRequest) -> None:
        super().__init__(message, usage=usage)
        self.reask = reask


def judge(completion: Any, request: ModelRequest, backend: OpenAIBackend) -> ModelReply:
    """A batch answer validated as the live path validates its first answer: the value;
    Invalid when the live path would re-ask; ValidationFailure (a cut-off answer, a
    refusal, no re-ask left) as the live path raises it."""
    attempts = _live_attempts(request, backend)
    next(attempts)
    try:
        follow_up = attempts.send(completion)
    except StopIteration as done:  # valid; ValidationFailure (no re-ask left) goes up as is
        reply: ModelReply = done.value
        return reply
    finally:
        attempts.close()
    usage = usage_of(completion)
    usage.requests = usage.failed_requests = 1
    reask = ModelRequest(
        messages=follow_up["messages"],
        response_model=request.response_model,
        sampling=request.sampling,
        max_validation_retries=request.max_validation_retries - 1,
    )
    last = follow_up["messages"][-1].get("content", "")
    message = f"the batch answer failed validation: {excerpt(str(last))}"
    raise Invalid(message, usage=usage, reask=reask)


@dataclass(frozen=True)
class AnswerLine:
    """One line of a batch output or error file: a chat completion, or why there is none."""

    custom_id: str
    completion: Any | None  # a ChatCompletion
    error: str | None


def parse_answer_line(raw: bytes | str, where: str) -> AnswerLine:
    """OpenAI's and vLLM's output lines alike; InputError when the line is not one."""
    try:
        line = json.loads(raw)
    except ValueError:
        raise InputError(f"{where} is not a JSON line") from None
    if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
        raise InputError(f"{where} is not a batch output line (no custom_id)")
    custom_id, response = line["custom_id"], line.get("response")
    if isinstance(response, dict) and response.get("status_code") == 200 and response.get("body"):
        content = json.dumps(response["body"]).encode()
        try:
            return AnswerLine(custom_id, completion_from(200, content, "application/json"), None)
        except MalformedResponse as exc:
            return AnswerLine(custom_id, None, f"the batch answer {exc}")
    return AnswerLine(custom_id, None, _why(line.get("error"), response))


def _why(error: Any, response: Any) -> str:
    """One line from what either server says about a failed request."""
    status = response.get("status_code") if isinstance(response, dict) else None
    body = response.get("body") if isinstance(response, dict) else None
    detail = error if error else body
    if isinstance(detail, dict) and isinstance(detail.get("message"), str) and "code" in detail:
        code = f"{detail['code']}: " if detail.get("code") else ""
        text = f"{code}{excerpt(detail['message'])}"
    elif detail:
        text = error_detail(detail, detail if isinstance(detail, str) else json.dumps(detail))
    else:
        text = "no answer and no error"
    return f"HTTP {status}: {text}" if status and status != 200 else text


@dataclass(frozen=True)
class RemoteBatch:
    """What the batch layer needs of a Batch object, free of SDK types."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None
    error_file_id: str | None
    completed: int
    failed: int
    total: int
    problem: str | None  # the batch's own error (a failed validation), one line

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class BatchAPI:
    """Files and Batches through the SDK client of the live backend (its key, URL,
    organisation and project), retried by retry.py only, every error redacted."""

    def __init__(self, backend: OpenAIBackend) -> None:
        source = backend.client
        self.endpoint = backend.endpoint
        self._redact = backend.redact
        self._policy = backend.policy
        # Files are far over the chat answers' cap: the same guarded transport, its own cap.
        client = http_client(
            proxy=env_proxy(str(source.base_url)), max_response_bytes=MAX_FILE_BYTES
        )
        self._client = source.with_options(http_client=client, max_retries=0)

    def upload(self, path: Path) -> str:
        """The file id of `path` uploaded for a batch."""

        def send() -> str:
            with path.open("rb") as handle:
                return self._client.files.create(file=(path.name, handle), purpose="batch").id

        return self._call(send, f"uploading {path.name}", deadline=False)

    def submit(self, input_file_id: str, metadata: dict[str, str]) -> RemoteBatch:
        return self._call(
            lambda: _remote(
                self._client.batches.create(
                    input_file_id=input_file_id,
                    endpoint=CHAT_URL,
                    completion_window=COMPLETION_WINDOW,
                    metadata=metadata,
                )
            ),
            "submitting a batch",
        )

    def status(self, batch_id: str) -> RemoteBatch:
        return self._call(lambda: _remote(self._client.batches.retrieve(batch_id)), batch_id)

    def cancel(self, batch_id: str) -> RemoteBatch:
        return self._call(lambda: _remote(self._client.batches.cancel(batch_id)), batch_id)

    def find(self, input_file_id: str) -> RemoteBatch | None:
        """The batch already made of this file, if a run was killed right after making it.
        Batches are listed newest first: the search stops at the first one older than the
        file, so a resume reads a page or two, not the account's whole history."""

        def search() -> RemoteBatch | None:
            uploaded = self._client.files.retrieve(input_file_id).created_at
            for batch in self._client.batches.list(limit=100):
                if batch.input_file_id == input_file_id:
                    return _remote(batch)
                if batch.created_at < uploaded:
                    return None
            return None

        return self._call(search, "listing batches")

    def download(self, file_id: str, target: Path) -> None:
        """Stream a file to `target` (written beside it, then renamed: never half there)."""
        partial = target.with_name(target.name + ".partial")

        def fetch() -> None:
            try:
                with (
                    self._client.files.with_streaming_response.content(file_id) as response,
                    partial.open("wb") as handle,
                ):
                    for chunk in response.iter_bytes():
                        handle.write(chunk)
                    handle.flush()
                    os.fsync(handle.fileno())  # on disk before the state says collected
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)

        self._call(fetch, f"downloading {file_id}", deadline=False)

    def _call(self, call: Callable[[], T], what: str, *, deadline: bool = True) -> T:
        def attempt() -> T:
            try:
                if not deadline:
                    return call()
                with within(request_deadline(self._policy.timeout_s)):
                    return call()
            except (openai.APIError, OSError, httpx2.HTTPError, ResponseTooLarge) as exc:
                # a body cut off while streaming is a transport error like any other
                raise AttemptFailed(str(exc), usage=Usage(), cause=exc) from None

        try:
            return with_transport_retries(attempt, self._policy)
        except AttemptFailed as exc:
            where = f"{self.endpoint} ({what})"
            message = describe(exc, where=where, policy=self._policy)
            raise TransportError(self._redact(message)) from None


def _remote(batch: Batch) -> RemoteBatch:
    counts = batch.request_counts
    errors = batch.errors.data if batch.errors and batch.errors.data else []
    problem = "; ".join(excerpt(f"{e.code}: {e.message}") for e in errors[:3]) or None
    return RemoteBatch(
        id=batch.id,
        status=batch.status,
        input_file_id=batch.input_file_id,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        total=counts.total if counts else 0,
        problem=problem,
    )
