"""The peers llm-extract's batch throughput is compared against (used by bench/batch.py).

Every peer talks to the same local OpenAI-compatible server as llm-extract, so what is
measured is how each one schedules its requests, not how fast a model is:

- LangExtract 1.7.1 (`run_langextract`), driven as its users drive it for an
  OpenAI-compatible endpoint: `lx.extract(...)` with a `ModelConfig` for its OpenAI
  provider, no schema constraints. `langextract_answer` is what the server should send
  back to it: a synthetic answer that LangExtract parses into one extraction per chunk.
- Plain instructor + an asyncio loop (`run_plain_instructor`): one tool-calling request
  per article, at most `concurrency` in flight, nothing else.
- Bare HTTP (`run_bare_http`): the same request bodies, encoded beforehand, posted by
  one aiohttp session with nothing done to the answers. Not a tool anyone would use:
  the floor the server and this machine allow, so that what llm-extract adds per
  article can be told apart from the time spent waiting on the server.

How LangExtract 1.7.1 uses the endpoint (read from its installed source):

- It splits each document into chunks of at most `max_char_buffer` characters (default
  1000; broken at sentence ends where it can) and sends ONE chat completion per chunk
  and per extraction pass: a system message ("You are a helpful assistant that responds
  in JSON format.") and a user message holding the prompt description, the rendered
  examples, then ``Q: <chunk>`` and ``A: ``, with ``response_format={"type":
  "json_object"}`` and ``n=1``. So an article of 2,600 characters costs 3 or more
  requests at the default buffer and one with `max_char_buffer=100000`.
- Chunks of all documents are streamed into batches of `batch_length` chunks. A batch
  is sent through a thread pool of ``min(provider max_workers, len(batch))`` threads,
  and the next batch starts only when the whole batch is back: the parallelism is at
  most ``min(max_workers, batch_length)`` and each batch waits for its slowest request.
- `extract(max_workers=...)` does not reach the OpenAI provider when a `config` is given:
  the provider's own `max_workers` (default 10) comes from `provider_kwargs`. So
  `run_langextract` passes it in both places.
- Its `openai.OpenAI` client is built with the SDK defaults, which LangExtract does not
  expose: 2 retries (connection errors, 408, 409, 429, 5xx; 0.5 s to 8 s back-off) and a
  600 s timeout (5 s to connect). A request that still fails after them raises out of
  `extract` and aborts the whole call (no per-document isolation). A chunk whose answer
  does not parse is dropped with a logged warning (``suppress_parse_errors`` is on by
  default), so bad answers show up only as documents without extractions.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
import warnings
from collections.abc import Callable
from typing import Any

import instructor
import openai
from pydantic import BaseModel

LOCAL_API_KEY = "local"
"""Local servers ignore the key, but both SDKs insist on one."""

LOCAL_MODEL = "local-model"
"""Model name sent to the local server, which answers whatever it is asked for."""

LANGEXTRACT_PROMPT = (
    "Extract incidents of political violence or protest (attacks, clashes, strikes, "
    "abductions, demonstrations) from conflict news. Use exact text from the article "
    "for each extraction; do not paraphrase. Give each incident its actor and location "
    "as attributes."
)

_QUESTION_PREFIX = "\nQ: "
_ANSWER_PREFIX = "\nA: "
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*")
_FENCE = "```json"


def langextract_answer(request_json: dict[str, Any]) -> dict[str, Any]:
    """A chat.completion body that LangExtract parses into one extraction for the chunk.

    SYNTHETIC, for throughput measurement only: no model is involved. The answer takes
    the chunk LangExtract put after the last ``Q: `` of its prompt and reports the
    chunk's first capitalised word (its first word if none is) as one ``incident``
    extraction with two attributes, in LangExtract's default format
    ``{"extractions": [{"incident": ..., "incident_attributes": {...}}]}``. The text is
    verbatim from the chunk, so LangExtract aligns it exactly. The JSON is fenced as
    ```` ```json ```` only when the prompt's examples are (``fence_output=True``), as a
    model imitating them would do. Usage is an estimate (four characters per token).
    """
    prompt = _last_user_text(request_json.get("messages") or [])
    chunk = _question(prompt)
    match = _CAPITALISED.search(chunk)
    words = chunk.split()
    text = match.group(0) if match else (words[0] if words else "")
    items = []
    if text:
        items.append(
            {
                "incident": text,
                "incident_attributes": {"actor": text, "location": "unknown"},
            }
        )
    content = json.dumps({"extractions": items}, ensure_ascii=False)
    if _FENCE in prompt:
        content = f"{_FENCE}\n{content}\n```"
    prompt_tokens = sum(len(_message_text(m)) for m in request_json.get("messages") or []) // 4 + 1
    completion_tokens = len(content) // 4 + 1
    return {
        "id": f"chatcmpl-synthetic-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(request_json.get("model") or LOCAL_MODEL),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _message_text(message: dict[str, Any]) -> str:
    """A message's text, whether its content is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return _message_text(message)
    return ""


def _question(prompt: str) -> str:
    """The chunk in LangExtract's ``...\\nQ: <chunk>\\nA: `` prompt (the prompt if not)."""
    body = prompt.rstrip()
    if body.endswith(_ANSWER_PREFIX.rstrip()):
        body = body[: -len(_ANSWER_PREFIX.rstrip())]
    _, found, chunk = body.rpartition(_QUESTION_PREFIX)
    return chunk if found else body


def run_langextract(
    texts: list[str],
    base_url: str,
    *,
    max_workers: int,
    max_char_buffer: int,
    batch_length: int,
    extraction_passes: int = 1,
    fence_output: bool = False,
    model_id: str = LOCAL_MODEL,
) -> tuple[float, int]:
    """Run LangExtract over `texts` as documents of one `lx.extract` call.

    `base_url` is the OpenAI-compatible endpoint (``http://127.0.0.1:PORT/v1``).
    `max_workers` is given both to `extract` and to the OpenAI provider, which only
    honours its own. Progress bars and LangExtract's warnings (e.g. batch_length <
    max_workers) are silenced. Returns (seconds for the `extract` call, number of
    documents with at least one extraction).

    Raises ImportError when LangExtract is not installed (it is a bench-only extra), and
    LangExtract's InferenceRuntimeError when any request fails after its client's two
    hidden retries.
    """
    try:
        import langextract as lx
    except ImportError as exc:
        raise ImportError(
            'LangExtract is not installed; install the benchmark extra: pip install -e ".[bench]"'
        ) from exc

    documents = [
        lx.data.Document(text=text, document_id=f"doc-{index}") for index, text in enumerate(texts)
    ]
    example_text = "Gunmen attacked the market in Gao on Monday, killing three traders."
    examples = [
        lx.data.ExampleData(
            text=example_text,
            extractions=[
                lx.data.Extraction(
                    extraction_class="incident",
                    extraction_text="Gunmen attacked the market",
                    attributes={"actor": "Gunmen", "location": "Gao"},
                )
            ],
        )
    ]
    config = lx.factory.ModelConfig(
        model_id=model_id,
        provider="OpenAILanguageModel",
        provider_kwargs={
            "base_url": base_url,
            "api_key": LOCAL_API_KEY,
            "max_workers": max_workers,
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        result = lx.extract(
            text_or_documents=documents,
            prompt_description=LANGEXTRACT_PROMPT,
            examples=examples,
            config=config,
            use_schema_constraints=False,
            fence_output=fence_output,
            max_workers=max_workers,
            batch_length=batch_length,
            max_char_buffer=max_char_buffer,
            extraction_passes=extraction_passes,
            debug=False,
            show_progress=False,
        )
        elapsed = time.perf_counter() - start
    annotated = result if isinstance(result, list) else [result]
    return elapsed, sum(1 for document in annotated if document.extractions)


def run_plain_instructor(
    texts: list[str],
    base_url: str,
    *,
    concurrency: int,
    response_model: type[BaseModel],
    messages_for: Callable[[str], list[dict[str, Any]]],
    model: str = LOCAL_MODEL,
    max_validation_retries: int = 2,
    timeout_s: float = 120.0,
) -> tuple[float, int]:
    """The baseline: plain instructor (TOOLS mode) on `openai.AsyncOpenAI`, asyncio.gather.

    One structured call per text, at most `concurrency` in flight (an asyncio
    semaphore); openai's own retries are off, instructor re-asks at most
    `max_validation_retries` times on invalid output (llm-extract's default is 2).
    Must be called outside a running event loop. Returns (seconds for the whole
    gather, number of texts whose call returned a valid `response_model`).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    return asyncio.run(
        _instructor_batch(
            texts,
            base_url,
            concurrency=concurrency,
            response_model=response_model,
            messages_for=messages_for,
            model=model,
            max_validation_retries=max_validation_retries,
            timeout_s=timeout_s,
        )
    )


async def _instructor_batch(
    texts: list[str],
    base_url: str,
    *,
    concurrency: int,
    response_model: type[BaseModel],
    messages_for: Callable[[str], list[dict[str, Any]]],
    model: str,
    max_validation_retries: int,
    timeout_s: float,
) -> tuple[float, int]:
    raw = openai.AsyncOpenAI(
        base_url=base_url, api_key=LOCAL_API_KEY, max_retries=0, timeout=timeout_s
    )
    client = instructor.from_openai(raw, mode=instructor.Mode.TOOLS)
    semaphore = asyncio.Semaphore(concurrency)

    async def one(text: str) -> bool:
        async with semaphore:
            try:
                await client.chat.completions.create(
                    model=model,
                    messages=messages_for(text),
                    response_model=response_model,
                    max_retries=max_validation_retries,
                )
            except Exception:
                return False
            return True

    try:
        start = time.perf_counter()
        outcomes = await asyncio.gather(*(one(text) for text in texts))
        elapsed = time.perf_counter() - start
    finally:
        await raw.close()
    return elapsed, sum(outcomes)


def run_bare_http(bodies: list[bytes], url: str, *, concurrency: int) -> float:
    """Seconds to POST every body to `url` (at most `concurrency` in flight) and read
    each answer in full. Must be called outside a running event loop."""
    import aiohttp

    async def batch() -> float:
        semaphore = asyncio.Semaphore(concurrency)
        headers = {"Content-Type": "application/json"}
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

            async def one(body: bytes) -> None:
                async with semaphore, session.post(url, data=body, headers=headers) as answer:
                    answer.raise_for_status()
                    await answer.read()

            start = time.perf_counter()
            await asyncio.gather(*(one(body) for body in bodies))
            return time.perf_counter() - start

    return asyncio.run(batch())
