"""Request lines into batch input files: one model per file, and at most the Batch
API's 50,000 lines and 200 MB each (smaller limits for tests and for servers that want
them). Each file is written beside its name and renamed when complete, so a file under
its own name is never half written."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from llm_extract.core.errors import InputError

MAX_LINES_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1000 * 1000


@dataclass
class RequestFile:
    path: Path
    model: str
    lines: int = 0
    bytes: int = 0
    custom_ids: list[str] = field(default_factory=list)


class RequestFiles:
    """Splits lines across files; `new_path(model)` names each file as it is opened."""

    def __init__(
        self,
        new_path: Callable[[str], Path],
        *,
        max_lines: int = MAX_LINES_PER_FILE,
        max_bytes: int = MAX_BYTES_PER_FILE,
    ) -> None:
        if max_lines < 1 or max_bytes < 1:
            raise ValueError("a request file holds at least one line")
        self._new_path = new_path
        self._max_lines, self._max_bytes = max_lines, max_bytes
        self._open: dict[str, tuple[RequestFile, IO[bytes]]] = {}
        self.done: list[RequestFile] = []

    def add(self, custom_id: str, line: dict[str, Any]) -> None:
        """Append one request line ({custom_id, method, url, body}) to its model's file."""
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        if len(data) > self._max_bytes:
            raise InputError(
                f"the request for {custom_id!r} is {len(data):,} bytes, over the "
                f"{self._max_bytes:,} a batch file may hold"
            )
        model = str(line["body"].get("model", ""))
        current = self._open.get(model)
        if current and (
            current[0].lines >= self._max_lines or current[0].bytes + len(data) > self._max_bytes
        ):
            self._finish(model)
            current = None
        if current is None:
            path = self._new_path(model)
            path.parent.mkdir(parents=True, exist_ok=True)
            current = RequestFile(path, model), _partial(path).open("wb")
            self._open[model] = current
        written, handle = current
        handle.write(data)
        written.lines += 1
        written.bytes += len(data)
        written.custom_ids.append(custom_id)

    def close(self) -> list[RequestFile]:
        """Every file complete under its own name, in the order they were started."""
        for model in list(self._open):
            self._finish(model)
        return self.done

    def abandon(self) -> None:
        """Drop the files still being written (the run failed before recording them)."""
        for written, handle in self._open.values():
            handle.close()
            _partial(written.path).unlink(missing_ok=True)
        self._open.clear()

    def _finish(self, model: str) -> None:
        written, handle = self._open.pop(model)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(_partial(written.path), written.path)
        self.done.append(written)


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")
