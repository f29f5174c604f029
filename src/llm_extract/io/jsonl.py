"""JSONL files read line by line: never the whole file in memory, a UTF-8 byte-order
mark accepted, every error in one line with its "file:line"; and the rule every reader
of batch output shares, that an id's last line is its answer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from llm_extract.core.errors import InputError

Located = tuple[str, Any]
"""A parsed JSON line and where it came from ("file:line"), for error messages."""


def jsonl_files(path: Path) -> list[Path]:
    """The file itself, or a folder's *.jsonl files in name order."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: no *.jsonl files in this folder")
        return files
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    return [path]


def json_lines(file: Path) -> Iterator[Located]:
    """Each non-blank line parsed, streamed."""
    try:
        with file.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8")
                if number == 1:
                    line = line.removeprefix("\ufeff")
                if not line.strip():
                    continue
                try:
                    yield f"{file}:{number}", json.loads(line)
                except json.JSONDecodeError:
                    raise InputError(f"{file}:{number} is not a JSON line") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read it as UTF-8 text: {exc}") from None


def last_per_id(lines: Iterable[Located]) -> dict[str, Located]:
    """Each id's last line: a resumed or repeated batch appends, and its latest word on
    an id is the one that counts. Every line must be an object with an "id"."""
    latest: dict[str, Located] = {}
    for where, line in lines:
        if not isinstance(line, dict) or line.get("id") is None:
            raise InputError(f'{where}: a line needs an object with an "id"')
        latest[str(line["id"])] = (where, line)
    return latest


def latest_lines(file: Path) -> dict[str, Located]:
    """`last_per_id` of a file's lines."""
    return last_per_id(json_lines(file))
