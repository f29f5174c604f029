"""The batch output file as it is written: one line per finished article, durable as
soon as written.

Each line goes out in a single append write, then fsync, so a kill -9 leaves at most a
torn tail, never a torn record in the middle; opening the file again cuts such a tail
off. Reading it back (io/jsonl.py's last line per id) tells a re-run which ids are done.
"""

from __future__ import annotations

import os
from pathlib import Path

from llm_extract.io.jsonl import latest_lines


class ResultLog:
    """Append-only JSONL of outcomes, repaired on open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repaired_bytes = _cut_torn_tail(path) if path.exists() else 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def done_ids(self) -> set[str]:
        """Ids whose latest line is a result ("ok"); failed ones are tried again."""
        latest = latest_lines(self.path)
        return {item_id for item_id, (_, line) in latest.items() if line.get("status") == "ok"}

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
