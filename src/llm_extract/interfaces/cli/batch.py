"""`llm-extract batch`: many articles into one JSONL, with progress, limits, resume."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import LLMExtractError
from llm_extract.core.results import ItemError
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.batch_via import check_via_options, run_via, via_options
from llm_extract.interfaces.cli.options import (
    fail,
    friendly_errors,
    model_options,
    published_date,
    settings_from,
)
from llm_extract.interfaces.cli.progress import Progress, empty_warning, summary_parts
from llm_extract.interfaces.cli.terminal import echo, printable

EXIT_FAILED, EXIT_BUDGET, EXIT_OUTAGE, EXIT_OUTPUT, EXIT_INTERRUPTED = 1, 3, 4, 5, 130
_WHAT = {"text": "article text", "id": "id", "date": "publication date (ISO date or datetime)",
         "url": "article's URL", "title": "headline", "outlet": "outlet's name"}  # fmt: skip


def corpus_field_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--text-field ... --outlet-field: which column of a corpus file holds what."""
    for role in reversed(api.CORPUS_FIELD_NAMES):
        names = ", ".join(api.CORPUS_FIELD_NAMES[role])
        func = click.option(
            f"--{role}-field",
            metavar="NAME",
            help=f"Corpus column holding the {_WHAT[role]} (default: {names}; any case).",
        )(func)
    return func


class _Notes:
    """Corpus messages: on stderr before the progress bar exists, above it after."""

    def __init__(self) -> None:
        self.progress: Progress | None = None

    def __call__(self, message: str) -> None:
        if self.progress is not None:
            self.progress.note(message)
        else:
            echo(printable(f"llm-extract: {message}"), err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="JSONL file; one line per article, appended as each finishes. Ids already done "
    "in it are skipped, so the same command resumes an interrupted batch. It must be a "
    "regular file holding only batch lines (checked before anything runs, and left "
    "unchanged if refused); one batch at a time writes it.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 512),
    default=8,
    show_default=True,
    help="Requests in flight at once.",
)
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True), help="Requests per minute.")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), help="Tokens per minute.")
@click.option(
    "--max-tokens-total",
    type=click.IntRange(min=1),
    help="Stop starting new articles once this many tokens are spent.",
)
@click.option(
    "--max-cost",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop starting new articles at this estimated cost (USD); with --via batch-api "
    "or batch-file, batch answers are priced at half the live price.",
)
@click.option(
    "--price",
    nargs=2,
    type=float,
    metavar="IN OUT",
    help="USD per million input and output tokens, for the cost estimate "
    "(known OpenAI models have defaults; others cost 0).",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=None,
    help="Processes verifying answers beside the one talking to the endpoint "
    "(default: one per spare core, at most 4; 0: none).",
)
@click.option(
    "--max-consecutive-failures",
    type=click.IntRange(min=0),
    default=api.BatchOptions().max_consecutive_failures,
    show_default=True,
    help="Stop starting articles after this many requests in a row fail on transport "
    "(an outage: each would cost its retries); 0: never stop.",
)
@click.option(
    "--wait-lock",
    is_flag=True,
    help="If another batch is writing --out, wait for it to finish instead of refusing.",
)
@click.option("--no-resume", is_flag=True, help="Redo ids already in --out.")
@click.option("--quiet", is_flag=True, help="No progress bar (it is off in pipes anyway).")
@via_options
@corpus_field_options
@model_options
@friendly_errors
def batch(paths: tuple[Path, ...], out: Path, **opts: Any) -> None:
    """Extract many articles concurrently into a JSONL file.

    PATHS are article files or folders (a folder gives its *.txt files; the file stem
    is the id, and files sharing a stem are named by their path from their common
    folder: a/x, b/x). Each line is a result ({"status": "ok", ...}) or an error
    ({"status": "error", ...}); one bad article never stops the others, and identical
    articles are sent to the model once.

    A .jsonl, .csv or .parquet path is a corpus, one article per row, read as the batch
    goes. Its columns are found by their usual names (any case) unless --text-field,
    --id-field, --date-field, --url-field, --title-field or --outlet-field name them;
    one line says which were used. Ids must be unique (a repeat is refused naming both
    rows); a row without one is "<file stem>:<row>". A row's date resolves its relative
    dates as --published does (which applies to rows without one); its url, outlet and
    title go into the result's provenance and the export's source columns.

    --via batch-api sends the same requests through OpenAI's Batch API (half the price,
    within 24 hours) and --via batch-file writes them for a server of one's own (vLLM's
    `run-batch`) and reads its answers back; either way each answer is validated,
    verified, cached and written to --out as a live one is.

    \b
    Exit codes: 0 all done; 1 some articles failed; 2 unusable input or --out
    (nothing was run); 3 a budget stopped the batch before every article started;
    4 the endpoint failed --max-consecutive-failures requests in a row and no new
    article was started; 5 --out could not be written (e.g. disk full: the file
    keeps every record before it); 130 interrupted. Finished records are kept in
    every case, and the same command resumes.
    """
    check_via_options(opts)
    notes = _Notes()
    items = api.batch_items(
        paths,
        encoding=opts["encoding"],
        published=published_date(opts),
        fields=api.CorpusFields(**{r: opts[f"{r}_field"] for r in api.CORPUS_FIELD_NAMES}),
        notify=notes,
    )
    options = api.BatchOptions(
        concurrency=opts["concurrency"],
        requests_per_minute=opts["rpm"],
        tokens_per_minute=opts["tpm"],
        max_tokens_total=opts["max_tokens_total"],
        max_cost=opts["max_cost"],
        prices=tuple(opts["price"]) if opts["price"] else None,  # type: ignore[arg-type]
        resume=not opts["no_resume"],
        workers=opts["workers"],
        max_consecutive_failures=opts["max_consecutive_failures"],
        wait_lock=opts["wait_lock"],
    )
    if opts["via"] != "live":
        run_via(paths, items, out, options, settings_from(opts), opts)
        return
    extractor = api.get_extractor(settings_from(opts))
    show = sys.stderr.isatty() and not opts["quiet"]
    with Progress(len(items), enabled=show) as progress:
        notes.progress = progress
        run = api.BatchRun(extractor, items, options=options, out=out, on_event=progress.update)
        try:
            with api.collector_tuned():
                asyncio.run(_drain(run, progress))
        except KeyboardInterrupt:
            progress.close()
            _print_summary(run.summary, out, interrupted=True)
            sys.exit(EXIT_INTERRUPTED)
        except LLMExtractError as exc:
            if run.summary.stop_cause != "output":
                raise  # refused before anything ran: one line, no summary
            progress.close()
            _print_summary(run.summary, out)
            fail(str(exc), EXIT_OUTPUT)
    _print_summary(run.summary, out)
    if code := _exit_code(run.summary):
        sys.exit(code)


def _exit_code(summary: api.BatchSummary) -> int:
    if summary.stop_cause == "failures":
        return EXIT_OUTAGE
    if summary.failed:
        return EXIT_FAILED
    return EXIT_BUDGET if summary.not_started else 0


async def _drain(run: api.BatchRun, progress: Progress) -> None:
    async for outcome in run.run():
        if isinstance(outcome, ItemError):
            progress.note(f"{outcome.id}: failed: {outcome.message}")
        elif outcome.empty_reason:
            progress.note(f"{outcome.id}: warning: {outcome.empty_reason}")


def _print_summary(summary: api.BatchSummary, out: Path, *, interrupted: bool = False) -> None:
    parts = summary_parts(summary, out.name)
    if summary.duplicates:
        parts.append(f"{summary.duplicates} duplicates sent once")
    if summary.not_started:
        parts.append(f"{summary.not_started} not started")
    tokens = summary.usage.total_tokens
    line = (
        f"{', '.join(parts)}; {tokens:,} tokens, est. ${summary.cost:.4f}; "
        f"{summary.elapsed_s:.1f}s; results in {out}"
    )
    line += empty_warning(summary)
    if summary.stopped and summary.stop_cause != "output":  # that one is the error line
        line += f"\nstopped: {summary.stopped}"
    if interrupted:
        line += "\ninterrupted: finished records are in the output; run the same command to resume"
    echo(line, err=True)
