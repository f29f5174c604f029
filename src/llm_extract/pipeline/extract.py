"""One article through the pipeline: check → prompt → cache or model → result."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from llm_extract.backends import Backend, ModelRequest, create_backend
from llm_extract.core.errors import ValidationFailure
from llm_extract.core.records import SCHEMA_VERSION, ArticleExtraction
from llm_extract.core.results import ExtractionResult, Provenance, Usage
from llm_extract.core.settings import Settings
from llm_extract.pipeline.cache import ResultCache, cache_key
from llm_extract.pipeline.compact import compact_model
from llm_extract.pipeline.prompts import load_prompt
from llm_extract.pipeline.schemas import schema_hash
from llm_extract.pipeline.verify import findings_for_model, verify_record
from llm_extract.text.article import check_article, sha256_text
from llm_extract.text.grounding import Document
from llm_extract.text.names import AliasTable


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
        self.aliases = AliasTable.load(*([self.settings.aliases] if self.settings.aliases else []))

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

    def extract(
        self,
        text: str,
        *,
        id: str | None = None,
        name: str = "input",
        published: date | None = None,
    ) -> ExtractionResult:
        """Extract, verify and apply the policy. `published` anchors relative dates."""
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
            options={"policy": "reask"} if self.settings.policy == "reask" else {},
        )
        # Offsets in the report point into the text exactly as the user gave it.
        document = Document.from_text(text, published, self.aliases)
        hit = self.cache.get(key) if self.cache is not None else None
        if hit is not None:
            record = ArticleExtraction.model_validate(hit["record"])
            provenance = Provenance.model_validate(hit["provenance"])
            usage = Usage()
        else:
            record, usage = self._ask(article, sampling, document)
            provenance = self._provenance(key, sampling, article, article_sha)
            if self.cache is not None:
                stored = {"record": record.model_dump(mode="json"),
                          "provenance": provenance.model_dump(mode="json")}  # fmt: skip
                self.cache.put(key, stored)
        final, report = verify_record(record, document, self.settings.policy)
        return ExtractionResult(
            id=id or article_sha[:16],
            record=final,
            verification=report,
            usage=usage,
            provenance=provenance,
            cached=hit is not None,
            duration_s=time.perf_counter() - started,
        )

    def _ask(
        self, article: str, sampling: dict[str, Any], document: Document
    ) -> tuple[ArticleExtraction, Usage]:
        """The model's validated record; with policy 'reask', the verifier's findings go
        back to the model while the re-ask budget lasts, keeping the best answer."""
        request = ModelRequest(
            messages=self.prompt.render(article, self.schema),
            response_model=self.schema,
            sampling=sampling,
            max_validation_retries=self.settings.max_validation_retries,
        )
        reply = self.backend.complete(request)
        record = ArticleExtraction.model_validate(reply.value.model_dump())
        usage = reply.usage
        if self.settings.policy != "reask":
            return record, usage
        budget = self.settings.max_validation_retries - (usage.requests - 1)
        _, report = verify_record(record, document)
        while budget > 0 and report.unsupported():
            follow_up = ModelRequest(
                messages=[
                    *request.messages,
                    {"role": "assistant", "content": record.model_dump_json()},
                    {"role": "user", "content": findings_for_model(report)},
                ],
                response_model=self.schema,
                sampling=sampling,
                max_validation_retries=0,
            )
            try:
                again = self.backend.complete(follow_up)
            except ValidationFailure as exc:
                usage = usage + exc.usage if isinstance(exc.usage, Usage) else usage
                break
            usage = usage + again.usage
            budget -= again.usage.requests
            candidate = ArticleExtraction.model_validate(again.value.model_dump())
            _, candidate_report = verify_record(candidate, document)
            if len(candidate_report.unsupported()) >= len(report.unsupported()):
                continue
            record, report = candidate, candidate_report
        return record, usage

    def _provenance(
        self, key: str, sampling: dict[str, Any], article: str, article_sha: str
    ) -> Provenance:
        return Provenance(
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
