"""`llm-extract extract`: one article to one JSON document."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import InputError, LLMExtractError
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import (
    dump_json,
    friendly_errors,
    model_options,
    published_date,
    report_line,
    settings_from,
)
from llm_extract.interfaces.cli.terminal import printable


@click.command()
@click.argument("path", metavar="PATH|-")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the JSON to this file (replaced whole, only once the JSON is complete).",
)
@click.option("--one-line", is_flag=True, help="One-line JSON instead of indented.")
@model_options
@friendly_errors
def extract(path: str, out: Path | None, one_line: bool, **opts: Any) -> None:
    """Extract incidents from one article (a file, or - for stdin).

    Prints one JSON document (record, usage, provenance, cached) on stdout;
    messages go to stderr. Exit 2 for unusable input or destination (checked before
    any model call: a missing or read-only folder, a directory or device as --out, a
    closed stdout), 1 when the model fails or the JSON cannot be written.
    """
    check_destination(out)
    result = api.extract_file(
        path,
        encoding=opts["encoding"],
        published=published_date(opts),
        settings=settings_from(opts),
    )
    text = dump_json(result.model_dump(mode="json"), pretty=not one_line)
    if out:
        write_file(out, text + "\n")
        click.echo(f"wrote {printable(out)}", err=True)
    else:
        write_stdout(text)
    report_line(result)


def check_destination(out: Path | None) -> None:
    """Refuse, before the model is paid, a destination the JSON could never reach."""
    if out is None:
        if sys.stdout is None or not _usable(sys.stdout):
            raise InputError("standard output is closed: nowhere to print the JSON; use --out")
        return
    name = printable(out)
    if out.exists() and not out.is_file():
        kind = "a directory" if out.is_dir() else "not a regular file (a device, FIFO or socket)"
        raise InputError(f"--out {name} is {kind}; give a file path (or omit --out for stdout)")
    folder = out.parent
    if not folder.is_dir():
        raise InputError(f"--out {name}: the folder {printable(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputError(f"--out {name}: permission denied (cannot write there)")


def _usable(stream: Any) -> bool:
    """False for a stream whose descriptor is closed; in-memory streams are usable."""
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, OSError):  # in memory, or a closed file object
        return not getattr(stream, "closed", False)
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def write_file(out: Path, text: str) -> None:
    """Write beside `out`, sync, then rename over it: a failed write (disk full)
    leaves any earlier file whole, and nothing half-written under its name."""
    target = out.resolve() if out.is_symlink() else out
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        reason = exc.strerror or exc
        message = f"cannot write {printable(out)}: {reason}; it was left as it was"
        raise LLMExtractError(message) from None


def write_stdout(text: str) -> None:
    """Print the JSON; a failed write (a full device, a closed pipe) is an error, and
    what stays buffered is dropped so that exit does not fail a second time."""
    try:
        click.echo(text)
    except OSError as exc:
        with contextlib.suppress(AttributeError, ValueError, OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        reason = exc.strerror or exc
        raise LLMExtractError(f"cannot write the JSON to standard output: {reason}") from None
