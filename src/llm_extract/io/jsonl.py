"""JSONL files: the batch output (one line per finished article, durable as soon as
written), and reading records back from it or from gold files.

Each line goes out in a single append write, then fsync, so a kill -9 leaves at most a
torn tail, never a torn record in the middle; opening the file again cuts such a tail
off. Reading it back tells a re-run which ids are already done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llm_extract.core.errors import InputError, describe_error
from llm_extract.core.records import ArticleExtraction


class ResultLog:
    """Append-only JSONL of outcomes, repaired on open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repaired_bytes = _cut_torn_tail(path) if path.exists() else 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def done_ids(self) -> set[str]:
        """Ids whose latest line is a result ("ok"); failed ones are tried again."""
        latest: dict[str, str] = {}
        for _, line in json_lines(self.path):
            if isinstance(line, dict):
                latest[str(line.get("id"))] = str(line.get("status"))
        return {item_id for item_id, status in latest.items() if status == "ok"}

    def write(self, line: str) -> None:
        """Append one JSON document (serialised, without its newline) and sync it."""
        data = (line + "\n").encode("utf-8")
        written = os.write(self._fd, data)
        if written != len(data):  # a short write on a regular file: disk full
            raise OSError(f"short write to {self.path}: {written} of {len(data)} bytes")
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _cut_torn_tail(path: Path) -> int:
    """Drop a last line that was cut short (no newline): the record it held is redone."""
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("rb+") as handle:
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return 0
        handle.seek(0)
        data = handle.read()
        keep = data.rfind(b"\n") + 1
        handle.truncate(keep)
        return size - keep


def load_records(path: str | Path) -> dict[str, ArticleExtraction]:
    """Records by id from a JSONL file, or from every *.jsonl in a folder.

    Lines are {"id": ..., "record": {...}} (gold) or `llm-extract batch` lines; an
    error line ({"status": "error"}) is an empty record. The last line for an id wins."""
    records: dict[str, ArticleExtraction] = {}
    for file in jsonl_files(Path(path)):
        for where, line in json_lines(file):
            if not isinstance(line, dict) or line.get("id") is None:
                raise InputError(f'{where}: a line needs an object with an "id"')
            article_id = str(line["id"])
            if line.get("status") == "error":
                records[article_id] = ArticleExtraction(incidents=[])
            elif "record" not in line:
                raise InputError(f'{where}: id {article_id!r} has no "record"')
            else:
                records[article_id] = _record(line["record"], where, article_id)
    return records


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


def json_lines(file: Path) -> Iterator[tuple[str, Any]]:
    """Each non-blank line parsed, with "file:line" for error messages."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read it as UTF-8 text: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{file}:{number}", json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"{file}:{number} is not a JSON line") from None


def _record(data: Any, where: str, article_id: str) -> ArticleExtraction:
    try:
        return ArticleExtraction.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{where}: record of id {article_id!r} is invalid: {describe_error(exc)}"
        ) from None
