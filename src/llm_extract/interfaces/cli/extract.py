"""`llm-extract extract`: one article to one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import (
    dump_json,
    friendly_errors,
    model_options,
    published_date,
    report_line,
    settings_from,
)


@click.command()
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
    text = dump_json(result.model_dump(mode="json"), pretty=not one_line)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)
    report_line(result)
