"""The `llm-extract` command. Thin: every command is a call into the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import InputError
from llm_extract.extraction.cache import CACHE_ENV
from llm_extract.extraction.schemas import export_schemas
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.batch import batch
from llm_extract.interfaces.cli.dataset import export_command, merge_command
from llm_extract.interfaces.cli.evaluate import eval_command
from llm_extract.interfaces.cli.options import (
    aliases_option,
    friendly_errors,
    model_options,
    published_date,
    published_option,
    report_line,
    settings_from,
)
from llm_extract.interfaces.cli.review import report
from llm_extract.interfaces.cli.table import render_report
from llm_extract.io.articles import read_source

MAIN_HELP = """Turn news articles into verified, ACLED/UCDP-style incident records.

\b
Quick start (offline, embedded model):
  llm-extract extract seeds/003_880e22595b6a996f.txt
\b
Against OpenAI or any OpenAI-compatible server:
  export OPENAI_API_KEY=...            # never passed on the command line
  llm-extract extract article.txt --model gpt-4o-mini
  llm-extract extract article.txt --base-url http://127.0.0.1:11434/v1 --model llama3.2

Results are cached on disk; a repeated call answers from the cache without a model call.
"""


def _dump(payload: Any, pretty: bool) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2 if pretty else None)


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="llm-extract")
def main() -> None:
    pass


@main.command()
@click.argument("path", metavar="PATH|-")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON here.")
@click.option("--one-line", is_flag=True, help="One-line JSON instead of indented.")
@model_options
@friendly_errors
def extract(path: str, out: Path | None, one_line: bool, **opts: Any) -> None:
    """Extract incidents from one article (a file, or - for stdin).

    Prints one JSON document (record, usage, provenance, cached) on stdout;
    messages go to stderr. Exit 2 for unusable input, 1 when the model fails.
    """
    result = api.extract_file(
        path,
        encoding=opts["encoding"],
        published=published_date(opts),
        settings=settings_from(opts),
    )
    text = _dump(result.model_dump(mode="json"), pretty=not one_line)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)
    report_line(result)


main.add_command(batch)
main.add_command(eval_command)
main.add_command(merge_command)
main.add_command(export_command)
main.add_command(report)


@main.command("verify")
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
def verify_command(record_path: Path, source: Path, as_json: bool, policy: str,
                   show_all: bool, **opts: Any) -> None:  # fmt: skip
    """Check a record's numbers, names, dates and quotes against its article.

    RECORD.json is the output of `extract` (or a bare record). Offsets in the report
    index the article file as given. Exit 1 when any value is unsupported.
    """
    text = read_source(source, max_chars=10**7, encoding=opts["encoding"])
    document = _load_json(record_path)
    record, report = api.verify_and_apply(
        document, text, published=published_date(opts), policy=policy,  # type: ignore[arg-type]
        aliases=opts["aliases"],
    )  # fmt: skip
    if as_json:
        payload: dict[str, Any] = {"verification": report.model_dump(mode="json")}
        if policy == "drop":
            payload["record"] = record.model_dump(mode="json")
        click.echo(_dump(payload, pretty=True))
    else:
        click.echo(render_report(report, show_all=show_all))
    if report.summary.unsupported:
        sys.exit(1)


def _load_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not a JSON document: {exc}") from None
    if not isinstance(loaded, dict):
        raise InputError(f"{path} holds JSON but not a record or an extract result")
    return loaded


@main.group()
def cache() -> None:
    """Inspect or empty the result cache."""


_cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Cache location (env {CACHE_ENV}).",
)


@cache.command("stats")
@_cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def cache_stats(cache_dir: Path | None, as_json: bool) -> None:
    """Where the cache is, how many results it holds and its size."""
    stats = api.cache_stats(cache_dir)
    if as_json:
        click.echo(_dump(stats.__dict__, pretty=True))
    else:
        click.echo(f"directory: {stats.directory}")
        click.echo(f"entries:   {stats.entries}")
        click.echo(f"size:      {stats.size_bytes / 1024:.1f} KiB")


@cache.command("clear")
@_cache_dir_option
@friendly_errors
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached result (the next run calls the model again)."""
    removed = api.clear_cache(cache_dir)
    click.echo(f"removed {removed} cached result(s)", err=True)


@main.command("export-schemas")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="schemas")
def export_schemas_command(folder: Path) -> None:
    """Write the JSON Schemas of records and results into FOLDER (default: schemas)."""
    for path in export_schemas(folder):
        click.echo(f"wrote {path}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
