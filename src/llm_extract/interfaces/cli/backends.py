"""`llm-extract backends`: the model backends that can be chosen with --backend."""

from __future__ import annotations

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.cli.terminal import printable


@click.command("backends")
def backends_command() -> None:
    """List the backends --backend accepts: the built-ins, then installed plugins.

    A plugin is a package with an entry point in the `llm_extract.backends` group
    naming a callable that takes Settings and returns a Backend
    (llm_extract.backends.base.Backend: complete / acomplete and a few attributes).
    """
    for entry in api.backends().values():
        origin = "plugin" if entry.plugin else "built-in"
        about = f"  {entry.summary}" if entry.summary else ""
        click.echo(printable(f"{entry.name:<12}{origin:<10}{entry.target}{about}"))
