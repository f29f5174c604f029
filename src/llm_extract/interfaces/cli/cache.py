"""`llm-extract cache`: where the result cache is, and emptying it."""

from __future__ import annotations

from pathlib import Path

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import dump_json, friendly_errors
from llm_extract.interfaces.cli.terminal import printable


@click.group()
def cache() -> None:
    """Inspect or empty the result cache."""


_cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Cache location (env {api.CACHE_ENV}).",
)


@cache.command("stats")
@_cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def cache_stats(cache_dir: Path | None, as_json: bool) -> None:
    """Where the cache is, how many results it holds and its size."""
    stats = api.cache_stats(cache_dir)
    if as_json:
        click.echo(dump_json(stats.__dict__, pretty=True))
    else:
        click.echo(f"directory: {printable(stats.directory)}")
        click.echo(f"entries:   {stats.entries}")
        click.echo(f"size:      {stats.size_bytes / 1024:.1f} KiB")


@cache.command("clear")
@_cache_dir_option
@friendly_errors
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached result (the next run calls the model again)."""
    removed = api.clear_cache(cache_dir)
    click.echo(f"removed {removed} cached result(s)", err=True)
