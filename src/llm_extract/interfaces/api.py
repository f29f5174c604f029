"""The Python API: a few functions over the pipeline, nothing the CLI does not share.

The command line (interfaces/cli/) calls only this module and core/: every command is
one of these functions plus argument parsing and printing. The constants re-exported
here are the rules the CLI's help states, so help and behaviour cannot drift."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from llm_extract.backends import BackendEntry, backends
from llm_extract.batch.batch_lines import RemoteSummary
from llm_extract.batch.drivers import collector_tuned, run_batch
from llm_extract.batch.engine import BatchRun
from llm_extract.batch.inputs import ItemStream, corpus_stream
from llm_extract.batch.items import BatchItem, BatchOptions, BatchSummary, EventKind
from llm_extract.batch.remote import RemoteOptions
from llm_extract.batch.remote_state import Part as BatchPart
from llm_extract.batch.remote_state import state_path as batch_state_path
from llm_extract.batch.request_files import MAX_BYTES_PER_FILE, MAX_LINES_PER_FILE
from llm_extract.core.articles import Article
from llm_extract.core.errors import ConfigError, InputError, describe_error
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult, Outcome
from llm_extract.core.settings import DEFAULT_MAX_CHARS, Settings
from llm_extract.core.verification import Policy, VerificationReport
from llm_extract.dataset.merge import DEFAULT_TOLERANCE_DAYS, MergeOutcome
from llm_extract.dataset.rules import MIN_MATCH_FIGURE
from llm_extract.dataset.tables import schema_text
from llm_extract.evaluation.records import CLAIM_OVERLAP_MIN, WEIGHTS, EvaluationReport, Score
from llm_extract.evaluation.records import evaluate as score_records
from llm_extract.extraction.cache import CACHE_ENV, CacheStats, ResultCache
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.schemas import export_schemas
from llm_extract.extraction.verify import verify as run_verify
from llm_extract.interfaces.datasets import (
    DATASET_FORMATS,
    export,
    export_dataset,
    load_incidents,
    merge,
)
from llm_extract.interfaces.extractors import get_extractor, to_stderr
from llm_extract.interfaces.remote import (
    batch_api_status,
    cancel_batch_api,
    extract_batch_api,
    extract_dataset,
    read_batch_answers,
    write_batch_requests,
)
from llm_extract.io.articles import (
    article_files,
    article_ids,
    page_metadata,
    read_source,
    read_with_source,
)
from llm_extract.io.corpus import FIELD_NAMES as CORPUS_FIELD_NAMES
from llm_extract.io.corpus import CorpusFields, is_corpus
from llm_extract.io.jsonl import read_json_document as read_json_document  # for cli/verify
from llm_extract.io.records import load_records
from llm_extract.review.write import Review, write_review
from llm_extract.text.names import NAME_FUZZY_MIN, AliasTable

if TYPE_CHECKING:  # Ray is an optional extra, imported only when extract_dataset runs
    pass

__all__ = [
    "CACHE_ENV",
    "CLAIM_OVERLAP_MIN",
    "CORPUS_FIELD_NAMES",
    "DATASET_FORMATS",
    "DEFAULT_TOLERANCE_DAYS",
    "MAX_BYTES_PER_FILE",
    "MAX_LINES_PER_FILE",
    "MIN_MATCH_FIGURE",
    "NAME_FUZZY_MIN",
    "WEIGHTS",
    "BackendEntry",
    "BatchItem",
    "BatchOptions",
    "BatchPart",
    "BatchRun",
    "BatchSummary",
    "CacheStats",
    "CorpusFields",
    "EvaluationReport",
    "EventKind",
    "Extractor",
    "ItemStream",
    "MergeOutcome",
    "Outcome",
    "RemoteOptions",
    "RemoteSummary",
    "Review",
    "Score",
    "aextract_batch",
    "backends",
    "batch_api_status",
    "batch_items",
    "batch_state_path",
    "cache_stats",
    "cancel_batch_api",
    "clear_cache",
    "collector_tuned",
    "evaluate",
    "export",
    "export_dataset",
    "export_schemas",
    "extract",
    "extract_batch",
    "extract_batch_api",
    "extract_dataset",
    "extract_file",
    "get_extractor",
    "load_aliases",
    "load_incidents",
    "merge",
    "read_article",
    "read_batch_answers",
    "schema_text",
    "verify",
    "verify_and_apply",
    "write_batch_requests",
    "write_review",
]


def extract(
    text: str,
    *,
    id: str | None = None,
    published: date | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> ExtractionResult:
    """Extract incident records from one article's text, each value verified.

    `options` are Settings fields (backend="openai", model=..., base_url=...,
    policy="drop", use_cache=False, ...). `published` anchors relative dates
    ("on Sunday"). Raises an LLMExtractError subclass on failure.
    """
    return get_extractor(settings, **options).extract(Article(text, id=id, published=published))


def extract_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    published: date | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> ExtractionResult:
    """Like `extract`, reading the article from a file with the CLI's input checks.

    A saved page (.html, .htm) is its main text, which the report's offsets index, with
    the page's title, outlet, URL and date as the source; that date anchors relative
    dates unless `published` is given."""
    extractor = get_extractor(settings, **options)
    max_chars = extractor.settings.max_chars
    text, source = read_with_source(path, encoding=encoding, max_chars=max_chars)
    name = "standard input" if str(path) == "-" else str(path)
    published = published or (source.published if source else None)
    article = Article(text, id=Path(path).stem, name=name, published=published, source=source)
    return extractor.extract(article)


def read_article(
    path: str | Path, *, encoding: str | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """An article's text from a file (or "-", standard input), refused in one line
    (InputError) when it cannot be an article: missing, not a regular file (a FIFO, a
    device), a closed stdin, binary, undecodable, too long. Whether it holds words is
    checked with the rest of the text, before any model call. A saved page (.html,
    .htm) gives its main text."""
    return read_source(path, max_chars=max_chars, encoding=encoding)


def batch_items(
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    published: date | None = None,
    fields: CorpusFields | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[BatchItem] | ItemStream:
    """One item per article file; a folder gives its *.txt, *.html and *.htm files. The
    file stem is the id, unless two files share a stem: then each is its path from their
    common folder ("a/x", "b/x"), so no result shadows another. A file named twice is
    one item. A saved page's title, outlet, URL and date go into provenance, and its
    date (unless `published` is given) anchors relative dates.

    A .jsonl, .csv or .parquet path is a corpus, one article per row, streamed: the
    result is then an ItemStream (sized, read as the batch goes) instead of a list.
    `fields` names its columns (any case; CORPUS_FIELD_NAMES are looked for otherwise);
    a row without an id gets "<file stem>:<row>", its date (else `published`) anchors
    relative dates, its url, outlet and title go into provenance. Refused in one line
    (InputError) before any model call: no text column, a repeated id (both rows
    named), an unreadable file. `notify` gets the line saying which column gives what
    and each row's warning (a date that is not one); default: standard error."""
    chosen = [Path(path) for path in paths]
    corpora = [path for path in chosen if is_corpus(path)]
    files = [file for path in chosen if not is_corpus(path) for file in article_files(path)]
    if not files and not corpora:
        raise InputError("no articles found (a folder contributes its *.txt, *.html, *.htm files)")
    items = [_file_item(item_id, file, encoding, published) for item_id, file in article_ids(files)]
    if not corpora:
        return items
    return corpus_stream(
        items,
        corpora,
        chosen=fields or CorpusFields(),
        notify=notify or to_stderr,
        encoding=encoding,
        published=published,
    )


def _file_item(item_id: str, file: Path, encoding: str | None, published: date | None) -> BatchItem:
    """A saved page brings its source, and its date when none is given."""
    source = page_metadata(file, encoding=encoding)
    chosen = published or (source.published if source else None)
    return BatchItem(id=item_id, path=file, encoding=encoding, published=chosen, source=source)


def load_aliases(path: str | Path | None) -> AliasTable | None:
    """The built-in alias table extended by the file at `path` (None: no extra file)."""
    if path is None:
        return None
    try:
        return AliasTable.load(Path(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not an alias table ({exc})") from None


def evaluate(
    gold: str | Path, pred: str | Path, *, aliases: str | Path | None = None
) -> EvaluationReport:
    """Score predicted records (batch output) against gold records, per field group.

    Both are JSONL files (or, for `gold`, a folder of them); the last line per id wins,
    an error line is an empty prediction. `llm-extract eval --help` states the rule."""
    gold, pred = Path(gold), Path(pred)
    if gold.is_dir() and pred.resolve().parent == gold.resolve() and pred.suffix == ".jsonl":
        raise InputError(f"{pred} is inside the --gold folder; it would be read as gold too")
    return score_records(load_records(gold), load_records(pred), aliases=load_aliases(aliases))


def verify(
    record: ArticleExtraction | ExtractionResult | dict[str, Any],
    text: str,
    *,
    published: date | None = None,
    policy: Policy = "flag",
    aliases: str | Path | None = None,
) -> VerificationReport:
    """Check every number, name, date and quote of `record` against `text`.

    `record` may be an ArticleExtraction, a whole ExtractionResult, or their JSON
    form. Offsets in the report index `text` as given. For the record with unsupported
    values removed, use `verify_and_apply`.
    """
    return verify_and_apply(record, text, published=published, policy=policy, aliases=aliases)[1]


def verify_and_apply(
    record: ArticleExtraction | ExtractionResult | dict[str, Any],
    text: str,
    *,
    published: date | None = None,
    policy: Policy = "flag",
    aliases: str | Path | None = None,
) -> tuple[ArticleExtraction, VerificationReport]:
    """The record after `policy` ('flag' keeps all, 'drop' removes unsupported values)
    and the report."""
    if policy == "reask":
        raise ConfigError("policy 'reask' needs a model: use it with extract, not verify")
    if isinstance(record, ExtractionResult):
        record = record.record
    elif not isinstance(record, ArticleExtraction):
        record = _record_of(record)
    table = load_aliases(aliases)
    return run_verify(record, text, published=published, policy=policy, aliases=table)


def _record_of(document: Any) -> ArticleExtraction:
    """A record from its JSON form, bare or inside an extract result; InputError if it
    is neither (schema errors are the input's fault, not the verifier's)."""
    if isinstance(document, dict) and "record" in document:
        document = document["record"]
    try:
        return ArticleExtraction.model_validate(document)
    except ValidationError as exc:
        raise InputError(f"not a record of the extraction schema: {describe_error(exc)}") from None


def extract_batch(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    concurrency: int = 8,
    out: str | Path | None = None,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
    **settings_options: Any,
) -> Iterator[Outcome]:
    """Extract many articles concurrently; yield an ExtractionResult or ItemError each,
    in completion order.

    Items are texts, (id, text) pairs or BatchItem(id, path=...); ids must be unique.
    With `out`, each outcome is appended to that JSONL file as soon as it is ready, and
    ids already done there are skipped. `options` sets rate limits, budgets, resume, the
    outage stop and lock waiting (BatchOptions). Refused with InputError before any
    model call: repeated ids in a list, an `out` that is not a regular file, holds lines
    that are not batch output, or is locked by another batch. A failed write stops the
    batch with an LLMExtractError (the file keeps every record before it).
    """
    extractor = get_extractor(settings, **settings_options)
    chosen = options or BatchOptions(concurrency=concurrency)
    return run_batch(extractor, items, out=Path(out) if out else None, options=chosen)


async def aextract_batch(
    items: Iterable[BatchItem | str | tuple[str, str]],
    *,
    out: str | Path | None = None,
    options: BatchOptions | None = None,
    settings: Settings | None = None,
    **settings_options: Any,
) -> AsyncIterator[Outcome]:
    """`extract_batch` for code already inside an event loop."""
    extractor = get_extractor(settings, **settings_options)
    run = BatchRun(extractor, items, options=options, out=Path(out) if out else None)
    with collector_tuned():
        async for outcome in run.run():
            yield outcome


def cache_stats(cache_dir: str | Path | None = None) -> CacheStats:
    """Where the result cache is, how many results it holds and its size."""
    return ResultCache(Path(cache_dir) if cache_dir else None).stats()


def clear_cache(cache_dir: str | Path | None = None) -> int:
    """Remove every cached result; returns how many were removed."""
    return ResultCache(Path(cache_dir) if cache_dir else None).clear()
