"""`llm-extract batch-api status | cancel`: the batches a `--via batch-api` run made."""

from __future__ import annotations

from pathlib import Path

import click

from llm_extract.core.settings import Settings
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import friendly_errors
from llm_extract.interfaces.cli.terminal import echo, printable

GROUP_HELP = """The batches of `llm-extract batch --via batch-api`.

A run sends each article not yet in --out and not in the cache as one request line
to OpenAI's Batch API (half the live price; answers within 24 hours), records every
batch in a state file beside --out (results.jsonl.batch-state.json) before and after
submitting it, and waits, polling. Each answer is validated, verified, cached and
appended to --out as a live one is. Stopped or killed, the same command collects the
same batches and submits nothing twice.

\b
  export OPENAI_API_KEY=...
  llm-extract batch articles/ --out results.jsonl --via batch-api
  llm-extract batch-api status --out results.jsonl     # where each batch is
  llm-extract batch-api cancel --out results.jsonl     # stop them
  llm-extract batch articles/ --out results.jsonl --via batch-api   # collect, resume
"""

out_option = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The --out of the batch run; its state file sits beside it.",
)
base_url_option = click.option(
    "--base-url",
    help="The endpoint the batches were submitted to (env OPENAI_BASE_URL; default "
    "OpenAI's). The key comes only from OPENAI_API_KEY.",
)


@click.group("batch-api", help=GROUP_HELP)
def batch_api_group() -> None:
    pass


@batch_api_group.command("status")
@out_option
@base_url_option
@friendly_errors
def status_command(out: Path, base_url: str | None) -> None:
    """Show each batch writing --out: its status and request counts, fetched now.

    Collected batches are shown as last seen. Nothing is changed: the run that owns the
    state file (or the next one) collects what has finished."""
    _show(api.batch_api_status(out, settings=Settings(base_url=base_url)))


@batch_api_group.command("cancel")
@out_option
@base_url_option
@friendly_errors
def cancel_command(out: Path, base_url: str | None) -> None:
    """Cancel every unfinished batch writing --out.

    A cancelled batch keeps what it answered before it stopped: the next
    `llm-extract batch ... --via batch-api` into --out collects that, and asks the rest
    again as its --retry-via says (live by default)."""
    _show(api.cancel_batch_api(out, settings=Settings(base_url=base_url)))


def _show(parts: list[api.BatchPart]) -> None:
    for part in parts:
        state = part.status or part.stage
        counts = f"{part.completed}/{part.lines} done" + (
            f", {part.failed} failed" if part.failed else ""
        )
        collected = " (collected)" if part.stage == "collected" else ""
        batch = part.batch_id or "not submitted"
        echo(printable(f"{part.name}  {batch}  {state}{collected}  {counts}  {part.model}"))
