"""One article through the pipeline: check → prompt → cache or model → result."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from llm_extract.backends import Backend, ModelReply, ModelRequest, QuestionJob, create_backend
from llm_extract.backends.drive import adrive, drive
from llm_extract.core.articles import Article
from llm_extract.core.errors import ConfigError, ValidationFailure
from llm_extract.core.records import SCHEMA_VERSION, ArticleExtraction
from llm_extract.core.results import ExtractionResult, Provenance, Usage
from llm_extract.core.settings import Settings
from llm_extract.extraction.cache import ResultCache, article_key, key_material
from llm_extract.extraction.compact import compact_model
from llm_extract.extraction.grounded.strategy import GROUNDED_VERSION, grounded_job
from llm_extract.extraction.offload import Verified, VerifyJob, run_verify
from llm_extract.extraction.prompts import load_prompt
from llm_extract.extraction.schemas import schema_hash
from llm_extract.extraction.verify import VERIFIER_VERSION, findings_for_model, verify_record
from llm_extract.places.enrich import gazetteer_fingerprint
from llm_extract.text.article import check_article, sha256_text
from llm_extract.text.grounding import Document
from llm_extract.text.names import AliasTable

M = TypeVar("M", bound=BaseModel)
Step = ModelRequest | QuestionJob | VerifyJob  # what a session asks its driver to do
Answer = ModelReply | Verified
# What belongs to one item, not to its text: left out of cache entries, which any item
# with the same text may be served.
_ITEM_OWN: dict[str, Any] = {"provenance": {"source"}}


@cache
def package_version() -> str:
    try:
        return version("llm-extract")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


class _Answer(BaseModel):
    """The model's validated answer as cached: what re-verification starts from."""

    record: ArticleExtraction
    provenance: Provenance


def _parsed(model: type[M], document: str | None) -> M | None:
    """A cached document read back; an entry that no longer validates is a miss."""
    if document is None:
        return None
    try:
        return model.model_validate_json(document)
    except ValidationError:
        return None


def _article(article: Article | str) -> Article:
    return article if isinstance(article, Article) else Article(article)


@dataclass(frozen=True)
class _Lookup:
    article: str  # the checked text the model is shown
    article_sha: str
    sampling: dict[str, Any]
    key: str
    item_id: str
    hit: _Answer | None
    checked_key: str
    answer: ExtractionResult | None


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
    def strategy(self) -> str:
        """The backend's preference unless asked otherwise: grounded for the embedded model,
        whole for endpoints; grounded only where the backend can constrain answers."""
        chosen = self.settings.strategy
        if chosen == "auto":
            return self.backend.default_strategy
        if chosen == "grounded" and not self.backend.answers_questions:
            raise ConfigError(
                f"the {self.backend.name} backend cannot constrain answers to a schema, "
                "which the grounded strategy needs: use --strategy whole"
            )
        return chosen

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

    def extract(self, article: Article | str) -> ExtractionResult:
        """Extract, verify and apply the policy (a bare string is an Article's text)."""
        session = self._session(_article(article))

        def step(request: Step) -> Answer:
            if isinstance(request, VerifyJob):
                return run_verify(request, self.aliases)
            return self.backend.complete(request)

        return drive(session, step)

    async def aextract(
        self,
        article: Article | str,
        *,
        call: Callable[[ModelRequest | QuestionJob], Awaitable[ModelReply]] | None = None,
        verify: Callable[[VerifyJob], Awaitable[Verified]] | None = None,
    ) -> ExtractionResult:
        """`extract` for an event loop: the same steps, model calls awaited.

        `call` replaces the backend call, so a batch can rate-limit and meter every
        request (re-asks included) in one place; `verify` runs verification elsewhere
        (a batch's worker processes) instead of in place.
        """
        session = self._session(_article(article))
        model_call = call or self.backend.acomplete

        async def step(request: Step) -> Answer:
            if not isinstance(request, VerifyJob):
                return await model_call(request)
            return await verify(request) if verify else run_verify(request, self.aliases)

        return await adrive(session, step)

    async def aclose(self) -> None:
        """Release what the backend holds for the running event loop (its connections),
        if a backend was created and has anything to release."""
        backend = self.__dict__.get("backend")  # the cached_property, if it ran
        if (close := getattr(backend, "aclose", None)) is not None:
            await close()

    def _session(self, article: Article) -> Generator[Step, Answer, ExtractionResult]:
        """Every step of one extraction, yielding each model request it needs answered
        and the verification job.

        Written once as a generator so that the sync and async drivers above share all of
        it: they differ only in how they call the backend and where verification runs.
        """
        started = time.perf_counter()
        lookup = self._lookup(article)
        text, published = article.text, article.published
        if lookup.answer is not None:
            return lookup.answer
        hit = lookup.hit
        # Offsets in the report point into the text exactly as the user gave it.
        document = (
            Document.from_text(text, published, self.aliases)
            if hit is None and (self.strategy == "grounded" or self.settings.policy == "reask")
            else None
        )  # the steps before verification need it; otherwise verification builds it
        if hit is not None:
            record, provenance, usage = hit.record, hit.provenance, Usage()
        else:
            record, usage = yield from self._ask(lookup.article, lookup.sampling, document)
            provenance = self._provenance(
                lookup.key, lookup.sampling, lookup.article, lookup.article_sha
            )
        job = VerifyJob(
            record_json=record.model_dump_json(),
            text=text,
            published=published,
            policy=self.settings.policy,
            aliases=(self.settings.aliases,) if self.settings.aliases else (),
            geocode=self._geocodes,
            gazetteers=self._gazetteers,
        )
        verified = run_verify(job, self.aliases, document) if document else (yield job)
        assert isinstance(verified, Verified)
        result = ExtractionResult(
            id=lookup.item_id,
            record=verified.record,
            verification=verified.verification,
            places=verified.places,
            usage=usage,
            provenance=provenance,
            cached=hit is not None,
            duration_s=time.perf_counter() - started,
            empty_reason=verified.empty_reason,
        )
        if self.cache is not None:
            if hit is None:
                answer = _Answer(record=record, provenance=provenance)
                self.cache.put(lookup.key, answer.model_dump_json(exclude=_ITEM_OWN))
            self.cache.put(lookup.checked_key, result.model_dump_json(exclude=_ITEM_OWN))
        # Set after caching: an identical text from another row must not get this one's.
        result.provenance.source = article.source
        return result

    def _key_options(self) -> dict[str, str]:
        """Pipeline choices that change the stored record."""
        options = {"policy": "reask"} if self.settings.policy == "reask" else {}
        if self.strategy == "grounded":
            options["strategy"] = f"grounded-{GROUNDED_VERSION}"
        return options

    def cache_key(self, article: Article | str) -> str:
        """The key the article's answer is cached under (the Batch API's custom_id)."""
        return self._lookup(_article(article)).key

    def cached_result(self, article: Article | str) -> ExtractionResult | None:
        """The finished result from the cache, or None: no model, no verification."""
        return self._lookup(_article(article)).answer

    def _lookup(self, article: Article) -> _Lookup:
        """Check the input, derive the cache key, and answer from the cache if it can."""
        started = time.perf_counter()
        checked = check_article(article.text, name=article.name, max_chars=self.settings.max_chars)
        article_sha = sha256_text(checked)
        sampling = self.sampling()
        key = article_key(self._key_material, article_sha)
        item_id = article.id or article_sha[:16]
        checked_key = self._checked_key(key, article.published)
        hit, answer = None, None
        if self.cache is not None:
            # The verifier is deterministic: the verified result for this record and
            # these options is cached under its own key, so a hit is one JSON parse.
            answer = _parsed(ExtractionResult, self.cache.get(checked_key))
            if answer is not None:
                # Plain assignment: model_copy would copy the whole report again.
                answer.id, answer.cached, answer.usage = item_id, True, Usage()
                answer.provenance.source = article.source
                answer.duration_s = time.perf_counter() - started
            else:
                hit = _parsed(_Answer, self.cache.get(key))
        return _Lookup(checked, article_sha, sampling, key, item_id, hit, checked_key, answer)

    @property
    def _geocodes(self) -> bool:
        return self.settings.geocode or self.settings.gazetteer is not None

    @property
    def _gazetteers(self) -> tuple[Path, ...]:
        return (self.settings.gazetteer,) if self.settings.gazetteer else ()

    @cached_property
    def _endpoint(self) -> str | None:
        """Where the backend's model is served (no credentials), None when in-process."""
        endpoint = getattr(self.backend, "endpoint", None)
        return endpoint if isinstance(endpoint, str) else None

    @cached_property
    def _key_material(self) -> str:
        return key_material(
            model=self.backend.model,
            endpoint_kind=self.backend.endpoint_kind,
            prompt_hash=self.prompt.sha256,
            schema_hash=self.schema_hash,
            mode=self.backend.mode,
            sampling=self.sampling(),
            options=self._key_options(),
            endpoint=self._endpoint,
        )

    @cached_property
    def _checked_material(self) -> str:
        """What verification and enrichment depend on besides the record, the article
        and the publication date."""
        places = "off"
        if self._geocodes:
            places = gazetteer_fingerprint(self._gazetteers)
        return "|".join([VERIFIER_VERSION, self.settings.policy, self.aliases.fingerprint, places])

    def _checked_key(self, key: str, published: date | None) -> str:
        """Key of the verified result: the model's answer's key plus the rest."""
        parts = f"{key}|{published}|{self._checked_material}"
        return "verified:" + hashlib.sha256(parts.encode()).hexdigest()

    def _ask(
        self, article: str, sampling: dict[str, Any], document: Document | None
    ) -> Generator[ModelRequest | QuestionJob, ModelReply, tuple[ArticleExtraction, Usage]]:
        """The model's validated record; with policy 'reask', the verifier's findings go
        back to the model while the re-ask budget lasts, keeping the best answer."""
        if self.strategy == "grounded":  # grounded by construction: nothing to re-ask
            assert document is not None  # built for grounded by the session
            reply = yield grounded_job(document)
            assert isinstance(reply.value, ArticleExtraction)
            return reply.value, reply.usage
        request = ModelRequest(
            messages=self.prompt.render(article, self.schema),
            response_model=self.schema,
            sampling=sampling,
            max_validation_retries=self.settings.max_validation_retries,
        )
        reply = yield request
        record = ArticleExtraction.model_validate(reply.value.model_dump())
        usage = reply.usage
        if self.settings.policy != "reask":
            return record, usage
        assert document is not None  # built for reask by the session
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
                again = yield follow_up
            except ValidationFailure as exc:
                usage = usage + exc.usage if exc.usage is not None else usage
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
            endpoint=self._endpoint,
            model=self.backend.model,
            mode="grounded" if self.strategy == "grounded" else self.backend.mode,
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
