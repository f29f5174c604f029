"""`llm-extract export-schemas`: the JSON Schemas of records and results."""

from __future__ import annotations

from pathlib import Path

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.cli.terminal import printable


@click.command("export-schemas")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="schemas")
def export_schemas_command(folder: Path) -> None:
    """Write the JSON Schemas of records and results into FOLDER (default: schemas)."""
    for path in api.export_schemas(folder):
        click.echo(f"wrote {printable(path)}", err=True)
