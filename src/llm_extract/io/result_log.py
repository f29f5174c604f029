"""The batch output file as it is written: one line per finished article, durable as
soon as written, and nothing in it touched that this program did not write.

Opening it checks before changing a byte: it must be a regular file (a FIFO or a
device would block or never end), no other batch may be writing it (an exclusive,
non-blocking flock held for the whole run: two batches on one file would pay for every
article twice), and every line must be a JSON object with an "id" (a byte-order mark
allowed), read line by line with io/jsonl.py's bounds. The last line may lack its
newline: a whole record gets the newline appended, a record torn by a kill (it starts
with "{" and is not JSON) is cut off and redone; anything else refuses the file as it is.

Each line goes out in one append write, then fsync, so a kill -9 leaves at most a torn
tail; a write that fails (disk full) is truncated back to the last complete line, so
the file stays valid and the same batch resumes from it.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from llm_extract.core.errors import InputError
from llm_extract.io.files import open_regular, status
from llm_extract.io.jsonl import JSONLimitError, json_line, line_id, raw_lines

OUT_HINT = "give a path to a JSONL file (`llm-extract batch` output, or a new file)"
NOT_OURS = "--out must be a JSONL file written by `llm-extract batch`; it was left unchanged"
TailAction = Literal["none", "complete", "cut"]


class OutputLocked(InputError):
    """Another batch holds the output file's lock."""


class ResultLog:
    """Append-only JSONL of outcomes, checked, locked and repaired on open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = _open(path)
        try:
            _lock(self._fd, path)
            scan = _scan(self._fd, path)
            self.repaired_bytes = _repair(self._fd, scan, path)
            self.completed_last_line = scan.action == "complete"
            self._done = {item_id for item_id, ok in scan.latest.items() if ok}
            self._size = os.fstat(self._fd).st_size
        except BaseException:
            self.close()
            raise

    def done_ids(self) -> set[str]:
        """Ids whose latest line was a result ("ok") when the file was opened; failed
        ones are tried again."""
        return set(self._done)

    def write(self, line: str) -> None:
        """Append one JSON document (serialised, without its newline) and sync it. On
        failure nothing of it stays in the file, and the OSError is raised."""
        assert self._fd is not None, "the log is closed"
        data = memoryview((line + "\n").encode("utf-8"))
        size = len(data)
        try:
            while data:
                written = os.write(self._fd, data)
                if written == 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                data = data[written:]
            os.fsync(self._fd)
        except OSError:
            with contextlib.suppress(OSError):  # else the next open cuts the torn tail
                os.ftruncate(self._fd, self._size)
            raise
        self._size += size

    def close(self) -> None:
        """Close the file, which releases the lock; closing twice is harmless."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class _Scan:
    latest: dict[str, bool] = field(default_factory=dict)  # id: its latest line is "ok"
    tail_start: int = 0  # where the last line without a newline begins
    tail: bytes = b""
    action: TailAction = "none"


def _open(path: Path) -> int:
    if status(path, str(path)) is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the folder of {path}: {exc.strerror}") from None
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT
    return open_regular(path, str(path), hint=OUT_HINT, flags=flags)


def _lock(fd: int, path: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OutputLocked(
            f"{path} is locked by another batch writing to it; let it finish, or wait for "
            "it with --wait-lock"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot lock {path}: {exc.strerror or exc}") from None


def _scan(fd: int, path: Path) -> _Scan:
    """Every line checked, streamed; only the last may lack its newline."""
    scan = _Scan()
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(0)
        for number, raw in _refusing(raw_lines(handle, str(path))):
            where = f"{path}:{number}"
            if not raw.endswith(b"\n"):
                scan.tail, scan.action = raw, _tail_action(raw, where, first=number == 1)
                if scan.action == "cut":
                    if number == 1 and raw.startswith(codecs.BOM_UTF8):  # not ours to cut
                        scan.tail_start, scan.tail = len(codecs.BOM_UTF8), raw[3:]
                    break
            _note(scan.latest, raw, where, first=number == 1)
            scan.tail_start += len(raw)
    return scan


def _refusing(lines: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
    """raw_lines, with a too-long line refused as not ours."""
    try:
        yield from lines
    except JSONLimitError as exc:
        raise InputError(f"{exc}; {NOT_OURS}") from None


def _note(latest: dict[str, bool], raw: bytes, where: str, *, first: bool) -> None:
    """Record a complete line's id and status, or refuse the file for it."""
    try:
        if (located := json_line(raw, where, first=first)) is None:
            return
        item_id = line_id(located[1], where)
        latest[item_id] = located[1].get("status") == "ok"
    except InputError as exc:
        raise InputError(f"{exc}; {NOT_OURS}") from None


def _tail_action(raw: bytes, where: str, *, first: bool) -> TailAction:
    """What to do with a last line that lacks its newline."""
    body = raw.removeprefix(codecs.BOM_UTF8) if first else raw
    if not body.strip():
        return "none"
    try:
        json_line(raw, where, first=first)
    except JSONLimitError as exc:
        raise InputError(f"{exc}; {NOT_OURS}") from None
    except InputError:
        if body.lstrip().startswith(b"{"):  # a record cut short by a kill
            return "cut"
        raise InputError(f"{where} is not a JSON line; {NOT_OURS}") from None
    return "complete"  # _note then checks it is an object with an "id"


def _repair(fd: int, scan: _Scan, path: Path) -> int:
    """Complete or cut the last line; the bytes cut off."""
    if scan.action == "none":
        return 0
    try:
        if scan.action == "complete":
            os.write(fd, b"\n")
        else:
            os.ftruncate(fd, scan.tail_start)
        os.fsync(fd)
    except OSError as exc:
        raise InputError(f"cannot repair the last line of {path}: {exc.strerror}") from None
    return len(scan.tail) if scan.action == "cut" else 0
