"""`llm-extract batch --via batch-api | batch-file`: the same articles, validation and
--out as the live batch, with the requests answered later in bulk."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from llm_extract.core.settings import Settings
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import fail
from llm_extract.interfaces.cli.progress import empty_warning, summary_parts
from llm_extract.interfaces.cli.terminal import echo, printable

EXIT_FAILED, EXIT_BUDGET, EXIT_INTERRUPTED = 1, 3, 130
VIA_CHOICES = ["live", "batch-api", "batch-file"]
VIA_HELP = (
    "live: ask the endpoint now (default). batch-api: OpenAI's Batch API, half the price, "
    "answers within 24 h (the command waits, polling; killed, the same command resumes "
    "without submitting twice; see `llm-extract batch-api --help`). batch-file: write the "
    "request JSONL for a server of one's own (--requests; `vllm run-batch -i` reads it), "
    "or read its output JSONL back (--answers). Both use the single-call strategy."
)


def via_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of `batch` that only --via batch-api / batch-file read."""
    options = [
        click.option(
            "--via",
            type=click.Choice(VIA_CHOICES),
            default="live",
            show_default=True,
            help=VIA_HELP,
        ),
        click.option(
            "--requests",
            type=click.Path(dir_okay=False, path_type=Path),
            help="--via batch-file: write the request JSONL here (replaced whole).",
        ),
        click.option(
            "--answers",
            type=click.Path(dir_okay=False, path_type=Path),
            help="--via batch-file: read this output JSONL (`vllm run-batch -o`) "
            "into --out; give the same PATHS and model options as for --requests.",
        ),
        click.option(
            "--retry-via",
            type=click.Choice(["live", "batch"]),
            default="live",
            show_default=True,
            help="Answers that failed or did not validate: asked again live at "
            "the endpoint, within the re-ask budget; or batch: in a follow-up "
            "batch (batch-api), as error lines the next --requests file asks "
            "again (batch-file).",
        ),
        click.option(
            "--lines-per-file",
            type=click.IntRange(1, api.MAX_LINES_PER_FILE),
            default=api.MAX_LINES_PER_FILE,
            show_default=True,
            help="--via batch-api: request lines per uploaded file (files are "
            "also split at 200 MB and by model).",
        ),
        click.option(
            "--poll",
            type=click.FloatRange(min=0, min_open=True),
            default=10.0,
            show_default=True,
            metavar="SECONDS",
            help="--via batch-api: first wait between looks at the batches; it "
            "doubles up to --max-poll.",
        ),
        click.option(
            "--max-poll",
            type=click.FloatRange(min=0, min_open=True),
            default=300.0,
            show_default=True,
            metavar="SECONDS",
            help="--via batch-api: the longest wait between two looks.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


_REMOTE_ONLY = {"retry_via": "--retry-via", "lines_per_file": "--lines-per-file",
                "poll": "--poll", "max_poll": "--max-poll"}  # fmt: skip


def check_via_options(opts: dict[str, Any]) -> None:
    """Options of another path are refused before anything runs: a live batch started
    with --requests would be paid for while the user expected a file."""
    via = opts["via"]
    if via != "batch-file" and (opts["requests"] or opts["answers"]):
        fail("--requests and --answers go with --via batch-file", 2)
    if via == "live":
        context = click.get_current_context()
        given = [
            flag
            for name, flag in _REMOTE_ONLY.items()
            if context.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
        ]
        if given:
            fail(f"{', '.join(given)} go with --via batch-api or batch-file", 2)


def run_via(
    paths: tuple[Path, ...],
    items: Any,
    out: Path,
    options: api.BatchOptions,
    settings: Settings,
    opts: dict[str, Any],
) -> None:
    """Run --via batch-api or batch-file, print the summary, exit with the batch's code."""
    via, requests, answers = opts["via"], opts["requests"], opts["answers"]
    notify = _notifier(quiet=opts["quiet"])
    try:
        if via == "batch-api":
            remote = api.RemoteOptions(
                retry=opts["retry_via"],
                max_lines=opts["lines_per_file"],
                poll_s=opts["poll"],
                max_poll_s=opts["max_poll"],
            )
            summary = api.extract_batch_api(
                items, out=out, options=options, remote=remote, settings=settings, notify=notify
            )
            _report(summary, out, f"{summary.sent} requests in {summary.batches} new batch(es)")
        elif bool(requests) == bool(answers):
            fail("--via batch-file needs --requests FILE (to write) or --answers FILE (to read)", 2)
        elif requests:
            summary = api.write_batch_requests(
                items, out=out, requests=requests, options=options, settings=settings, notify=notify
            )
            _next_steps(summary, paths, out, requests, settings)
        else:
            summary = api.read_batch_answers(
                items,
                out=out,
                answers=answers,
                options=options,
                retry=opts["retry_via"],
                settings=settings,
                notify=notify,
            )
            left = f"; {summary.waiting} not answered there yet" if summary.waiting else ""
            _report(summary, out, f"{summary.answered} answers read from {answers.name}{left}")
    except KeyboardInterrupt:
        state = api.batch_state_path(out).name
        more = f" (the batches in {state} keep running)" if via == "batch-api" else ""
        echo(f"interrupted{more}: run the same command to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if summary.failed or summary.waiting:
        sys.exit(EXIT_FAILED)
    if summary.not_started:
        sys.exit(EXIT_BUDGET)


def _notifier(*, quiet: bool) -> Callable[[str], None]:
    def notify(line: str) -> None:
        if not quiet:
            echo(printable(f"llm-extract: {line}"), err=True)

    return notify


def _report(summary: api.RemoteSummary, out: Path, what: str) -> None:
    parts = summary_parts(summary, out.name, what)
    if summary.retried_live:
        parts.append(f"{summary.retried_live} asked again live")
    if summary.deferred:
        parts.append(f"{summary.deferred} asked again in a batch")
    if summary.not_started:
        parts.append(f"{summary.not_started} not sent")
    line = (
        f"{', '.join(parts)}; {summary.usage.total_tokens:,} tokens, est. ${summary.cost:.4f} "
        f"(batch answers at batch rates: ${summary.batch_cost:.4f}); {summary.elapsed_s:.1f}s; "
        f"results in {out}"
    )
    line += empty_warning(summary)
    if summary.stopped:
        line += f"\nstopped: {summary.stopped}"
    echo(line, err=True)


def _next_steps(
    summary: api.RemoteSummary, paths: tuple[Path, ...], out: Path, requests: Path, settings: Any
) -> None:
    """What was written, and the two commands that finish the job."""
    answers = requests.with_name(requests.stem + ".answers.jsonl")
    source = " ".join(str(path) for path in paths)
    model = settings.model or "MODEL"
    line = f"wrote {summary.sent} request(s) to {requests}"
    if summary.done or summary.failed:
        line += f"; {summary.done + summary.failed} article(s) answered now into {out}"
    if summary.skipped:
        line += f"; {summary.skipped} already in {out.name}"
    if summary.sent:
        line += (
            f"\nnext: vllm run-batch -i {requests} -o {answers} --model {model}"
            f"\nthen: llm-extract batch {source} --out {out} --via batch-file --answers "
            f"{answers} (with the same model options)"
        )
    if summary.stopped:
        line += f"\nstopped: {summary.stopped}"
    echo(printable(line), err=True)
