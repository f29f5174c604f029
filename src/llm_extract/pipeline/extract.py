"""One article through the pipeline: check → prompt → cache or model → result."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from llm_extract.backends import Backend, ModelRequest, create_backend
from llm_extract.core.records import SCHEMA_VERSION, ArticleExtraction
from llm_extract.core.results import ExtractionResult, Provenance, Usage
from llm_extract.core.settings import Settings
from llm_extract.pipeline.cache import ResultCache, cache_key
from llm_extract.pipeline.compact import compact_model
from llm_extract.pipeline.prompts import load_prompt
from llm_extract.pipeline.schemas import schema_hash
from llm_extract.text.article import check_article, sha256_text


def package_version() -> str:
    try:
        return version("llm-extract")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


class Extractor:
    """Holds what is costly to build once (backend, cache, prompt) for many articles."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: Backend | None = None,
        cache: ResultCache | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.prompt = load_prompt(self.settings.prompt)
        self._backend = backend
        if cache is None and self.settings.use_cache:
            cache = ResultCache(self.settings.cache_dir)
        self.cache = cache if self.settings.use_cache else None

    @cached_property
    def backend(self) -> Backend:
        """Created on first use, so unusable input is refused before any backend exists."""
        return self._backend or create_backend(self.settings)

    @cached_property
    def compact(self) -> bool:
        chosen = self.settings.compact_schema
        return self.backend.prefers_compact_schema if chosen is None else chosen

    @cached_property
    def schema(self) -> type[ArticleExtraction]:
        """The schema the model sees; its hash (not the full record's) keys the cache."""
        return compact_model(ArticleExtraction) if self.compact else ArticleExtraction

    @cached_property
    def schema_hash(self) -> str:
        return schema_hash(self.schema)

    def sampling(self) -> dict[str, Any]:
        """Sampling parameters sent to the model; they are part of the cache key."""
        chosen = {
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
            "max_tokens": self.settings.max_tokens,
        }
        merged = {
            **self.backend.default_sampling(),
            **{k: v for k, v in chosen.items() if v is not None},
        }
        return dict(sorted(merged.items()))

    def extract(self, text: str, *, id: str | None = None, name: str = "input") -> ExtractionResult:
        started = time.perf_counter()
        article = check_article(text, name=name, max_chars=self.settings.max_chars)
        article_sha = sha256_text(article)
        sampling = self.sampling()
        key = cache_key(
            model=self.backend.model,
            endpoint_kind=self.backend.endpoint_kind,
            prompt_hash=self.prompt.sha256,
            schema_hash=self.schema_hash,
            mode=self.backend.mode,
            sampling=sampling,
            article_sha256=article_sha,
        )
        item_id = id or article_sha[:16]
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return ExtractionResult(
                id=item_id,
                record=ArticleExtraction.model_validate(hit["record"]),
                usage=Usage(),
                provenance=Provenance.model_validate(hit["provenance"]),
                cached=True,
                duration_s=time.perf_counter() - started,
            )
        request = ModelRequest(
            messages=self.prompt.render(article, self.schema),
            response_model=self.schema,
            sampling=sampling,
            max_validation_retries=self.settings.max_validation_retries,
        )
        reply = self.backend.complete(request)
        provenance = Provenance(
            backend=self.backend.name,
            endpoint_kind=self.backend.endpoint_kind,
            model=self.backend.model,
            mode=self.backend.mode,
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.sha256,
            schema_name=self.schema.__name__,
            schema_variant="compact" if self.compact else "full",
            schema_version=SCHEMA_VERSION,
            schema_hash=self.schema_hash,
            sampling=sampling,
            article_sha256=article_sha,
            article_chars=len(article),
            cache_key=key,
            package_version=package_version(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        record = ArticleExtraction.model_validate(reply.value.model_dump())
        if self.cache is not None:
            self.cache.put(
                key,
                {
                    "record": record.model_dump(mode="json"),
                    "provenance": provenance.model_dump(mode="json"),
                },
            )
        return ExtractionResult(
            id=item_id,
            record=record,
            usage=reply.usage,
            provenance=provenance,
            cached=False,
            duration_s=time.perf_counter() - started,
        )
