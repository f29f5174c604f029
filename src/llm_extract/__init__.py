"""llm-extract: grounded, verified incident records from news articles.

Everything public is importable from here; `__all__` is the whole API, pinned by
tests/test_exported_members.py. Submodules are private in all but name: their layout
may change without notice."""

from llm_extract.core.articles import Article, ArticleSource
from llm_extract.core.errors import (
    BackendError,
    ConfigError,
    InputError,
    LLMExtractError,
    OutputError,
    TransportError,
    ValidationFailure,
)
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.core.records import ArticleExtraction, CasualtyCount, Incident
from llm_extract.core.results import ExtractionResult, ItemError, Outcome, Provenance, Usage
from llm_extract.core.settings import Settings
from llm_extract.core.verification import Verdict, VerificationReport
from llm_extract.interfaces.api import (
    BackendEntry,
    BatchItem,
    BatchOptions,
    BatchSummary,
    CacheStats,
    EvaluationReport,
    Extractor,
    MergeOutcome,
    Review,
    aextract_batch,
    backends,
    cache_stats,
    clear_cache,
    evaluate,
    export,
    export_dataset,
    extract,
    extract_batch,
    extract_file,
    get_extractor,
    load_incidents,
    merge,
    verify,
    verify_and_apply,
    write_review,
)

__all__ = [
    "Article",
    "ArticleExtraction",
    "ArticleSource",
    "BackendEntry",
    "BackendError",
    "BatchItem",
    "BatchOptions",
    "BatchSummary",
    "CacheStats",
    "CasualtyCount",
    "ConfigError",
    "EvaluationReport",
    "ExtractionResult",
    "Extractor",
    "Incident",
    "InputError",
    "ItemError",
    "LLMExtractError",
    "MergeOutcome",
    "MergedIncident",
    "Outcome",
    "OutputError",
    "Provenance",
    "Review",
    "Settings",
    "SourceIncident",
    "TransportError",
    "Usage",
    "ValidationFailure",
    "Verdict",
    "VerificationReport",
    "aextract_batch",
    "backends",
    "cache_stats",
    "clear_cache",
    "evaluate",
    "export",
    "export_dataset",
    "extract",
    "extract_batch",
    "extract_file",
    "get_extractor",
    "load_incidents",
    "merge",
    "verify",
    "verify_and_apply",
    "write_review",
]
