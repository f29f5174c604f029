"""`llm-extract verify`: any record checked against its article."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import InputError
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import (
    aliases_option,
    dump_json,
    friendly_errors,
    published_date,
    published_option,
)
from llm_extract.interfaces.cli.terminal import echo, render_verification


@click.command("verify")
@click.argument(
    "record_path", metavar="RECORD.json", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The article the record was extracted from.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--policy",
    type=click.Choice(["flag", "drop"]),
    default="flag",
    show_default=True,
    help="With drop and --json, the output also holds the record without unsupported values.",
)
@click.option("--all", "show_all", is_flag=True, help="List supported values too.")
@published_option
@aliases_option
@click.option("--encoding", help="Decode the article with this encoding instead of UTF-8.")
@friendly_errors
def verify_command(
    record_path: Path, source: Path, as_json: bool, policy: str, show_all: bool, **opts: Any
) -> None:
    """Check a record's numbers, names, dates and quotes against its article.

    RECORD.json is the output of `extract` (or a bare record). Offsets in the report
    index the article file as given. Exit 1 when any value is unsupported.
    """
    text = api.read_article(source, encoding=opts["encoding"], max_chars=10**7)
    document = _load_json(record_path)
    record, report = api.verify_and_apply(
        document,
        text,
        published=published_date(opts),
        policy=policy,  # type: ignore[arg-type]
        aliases=opts["aliases"],
    )
    if as_json:
        payload: dict[str, Any] = {"verification": report.model_dump(mode="json")}
        if policy == "drop":
            payload["record"] = record.model_dump(mode="json")
        click.echo(dump_json(payload, pretty=True))
    else:
        echo(render_verification(report, show_all=show_all))
    if report.summary.unsupported:
        sys.exit(1)


def _load_json(path: Path) -> dict[str, Any]:
    """The record file, read with io/jsonl.py's bounds (size, nesting, integer digits)."""
    loaded = api.read_json_document(path)
    if not isinstance(loaded, dict):
        raise InputError(f"{path} holds JSON but not a record or an extract result")
    return loaded
