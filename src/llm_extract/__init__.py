"""llm-extract: grounded, verified incident records from news articles."""

from llm_extract.batch.engine import BatchItem, BatchOptions, BatchSummary
from llm_extract.core.errors import (
    BackendError,
    ConfigError,
    InputError,
    LLMExtractError,
    TransportError,
    ValidationFailure,
)
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.core.records import ArticleExtraction, CasualtyCount, Incident
from llm_extract.core.results import ExtractionResult, ItemError, Provenance, Usage
from llm_extract.core.settings import Settings
from llm_extract.core.verification import Verdict, VerificationReport
from llm_extract.interfaces.api import (
    aextract_batch,
    cache_stats,
    clear_cache,
    export,
    extract,
    extract_batch,
    extract_file,
    get_extractor,
    load_incidents,
    merge,
    verify,
    verify_and_apply,
)

__all__ = [
    "ArticleExtraction",
    "BackendError",
    "BatchItem",
    "BatchOptions",
    "BatchSummary",
    "CasualtyCount",
    "ConfigError",
    "ExtractionResult",
    "Incident",
    "InputError",
    "ItemError",
    "LLMExtractError",
    "MergedIncident",
    "Provenance",
    "Settings",
    "SourceIncident",
    "TransportError",
    "Usage",
    "ValidationFailure",
    "Verdict",
    "VerificationReport",
    "aextract_batch",
    "cache_stats",
    "clear_cache",
    "export",
    "extract",
    "extract_batch",
    "extract_file",
    "get_extractor",
    "load_incidents",
    "merge",
    "verify",
    "verify_and_apply",
]
