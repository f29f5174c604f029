"""The public API is exactly `llm_extract.__all__`: adding or removing a name is a
decision this test makes visible, and whatever a public function returns or takes is
itself importable from the package."""

from __future__ import annotations

import inspect
import typing

import llm_extract

INTENDED = {
    # extraction
    "extract", "extract_file", "extract_batch", "aextract_batch", "get_extractor",
    "Extractor", "Article", "ArticleSource", "Settings", "BatchItem", "BatchOptions",
    "BatchSummary", "backends", "BackendEntry",
    # records and results
    "ArticleExtraction", "Incident", "CasualtyCount", "ExtractionResult", "ItemError",
    "Outcome", "Provenance", "Usage",
    # verification
    "verify", "verify_and_apply", "Verdict", "VerificationReport",
    # datasets, evaluation, review
    "merge", "MergeOutcome", "MergedIncident", "SourceIncident", "load_incidents", "export",
    "export_dataset", "evaluate", "EvaluationReport", "write_review", "Review",
    # the cache
    "cache_stats", "clear_cache", "CacheStats",
    # errors
    "LLMExtractError", "InputError", "ConfigError", "BackendError", "TransportError",
    "OutputError",
    "ValidationFailure",
}  # fmt: skip


def test_all_is_the_intended_api_and_every_name_resolves() -> None:
    assert set(llm_extract.__all__) == INTENDED
    assert len(llm_extract.__all__) == len(INTENDED), "a name is listed twice"
    for name in llm_extract.__all__:
        assert hasattr(llm_extract, name), name


def test_public_functions_document_themselves_and_their_types_are_exported() -> None:
    exported = {getattr(llm_extract, name) for name in llm_extract.__all__}
    for name in llm_extract.__all__:
        member = getattr(llm_extract, name)
        if not inspect.isfunction(member):
            continue
        assert inspect.getdoc(member), f"{name} has no docstring"
        hints = typing.get_type_hints(member)
        for annotation in hints.values():
            for cls in _classes(annotation):
                if cls.__module__.startswith("llm_extract."):
                    assert cls in exported, f"{name} uses {cls.__name__}, which is not exported"


def _classes(annotation: object) -> list[type]:
    """The classes an annotation names, through unions, generics and aliases."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return [annotation]
    found = []
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and origin.__module__.startswith("llm_extract."):
        found.append(origin)
    for arg in typing.get_args(annotation):
        found += _classes(arg)
    return found
