"""JSONL files and JSON documents read with bounds: never a whole JSONL file in
memory, a UTF-8 byte-order mark accepted, every error in one line with its "file:line";
and the rule every reader of batch output shares, that an id's last line is its answer.

Every JSON value read here (a JSONL line or a whole document) is bounded, so a hostile
file cannot exhaust memory or the interpreter's stack:

- MAX_JSON_BYTES: a document, or one JSONL line, is at most 64 MiB;
- MAX_JSON_DEPTH: arrays and objects nest at most 64 levels (records need about 8);
- MAX_JSON_INT_DIGITS: an integer has at most 18 digits (it fits in 64 bits; Python
  would spend quadratic time on, then refuse, a 4,300-digit one).
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from llm_extract.core.errors import InputError
from llm_extract.io.files import kind_of, open_regular, status

MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_JSON_INT_DIGITS = 18
JSON_HINT = "give a JSON file"

Located = tuple[str, Any]
"""A parsed JSON line and where it came from ("file:line"), for error messages."""


class JSONLimitError(InputError):
    """A JSON value over one of this module's bounds (size, depth, integer digits)."""


def jsonl_files(path: Path) -> list[Path]:
    """The file itself, or a folder's *.jsonl files in name order."""
    info = status(path, str(path))
    if info is None:
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(file for file in path.glob("*.jsonl") if not file.is_dir())
        if not files:
            raise InputError(f"{path}: no *.jsonl files in this folder")
        return files
    if not path.is_file():
        raise InputError(f"{path} is {kind_of(info.st_mode)}, not a regular file; {JSON_HINT}")
    return [path]


def parse_json(text: str | bytes, where: str) -> Any:
    """One JSON value within MAX_JSON_DEPTH and MAX_JSON_INT_DIGITS. A syntax error is
    left to the caller (json.JSONDecodeError), which knows what the text should be."""
    try:
        value = json.loads(text, parse_int=_bounded_int)
    except _LongInteger:
        raise JSONLimitError(
            f"{where} holds an integer of more than {MAX_JSON_INT_DIGITS} digits "
            "(the limit); it cannot be a count or an offset"
        ) from None
    except RecursionError:
        value = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = json_depth(value)
    if depth > MAX_JSON_DEPTH:
        raise JSONLimitError(f"{where} nests JSON deeper than {MAX_JSON_DEPTH} levels (the limit)")
    return value


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest (a scalar is 0), walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def raw_lines(handle: BinaryIO, name: str) -> Iterator[tuple[int, bytes]]:
    """Each line as bytes with its newline (the last one may lack it), numbered from 1;
    a line longer than MAX_JSON_BYTES is refused before it is all in memory."""
    number = 0
    while raw := handle.readline(MAX_JSON_BYTES + 1):
        number += 1
        if len(raw) > MAX_JSON_BYTES and not raw.endswith(b"\n"):
            raise JSONLimitError(
                f"{name}:{number} is too long (over {MAX_JSON_BYTES // 2**20} MiB on one line)"
            )
        yield number, raw


def json_lines(file: Path) -> Iterator[Located]:
    """Each non-blank line parsed, streamed; the file must be a regular file."""
    fd = open_regular(file, str(file), hint=JSON_HINT)
    with os.fdopen(fd, "rb") as handle:
        try:
            for number, raw in raw_lines(handle, str(file)):
                if (located := json_line(raw, f"{file}:{number}", first=number == 1)) is not None:
                    yield located
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None


def json_line(raw: bytes, where: str, *, first: bool) -> Located | None:
    """A line parsed, None for a blank one; the first may start with a byte-order mark."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: cannot read it as UTF-8 text: {exc}") from None
    if first:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return None
    try:
        return where, parse_json(line, where)
    except json.JSONDecodeError:
        raise InputError(f"{where} is not a JSON line") from None


def read_json_document(path: Path) -> Any:
    """One JSON document from a regular file of at most MAX_JSON_BYTES, UTF-8 with or
    without a byte-order mark, parsed within MAX_JSON_DEPTH and MAX_JSON_INT_DIGITS."""
    name = str(path)
    fd = open_regular(Path(path), name, hint=JSON_HINT)
    with os.fdopen(fd, "rb") as handle:
        too_large = os.fstat(fd).st_size > MAX_JSON_BYTES  # refused unread
        data = b"" if too_large else handle.read(MAX_JSON_BYTES + 1)
    if too_large or len(data) > MAX_JSON_BYTES:
        raise JSONLimitError(
            f"{name} is larger than {MAX_JSON_BYTES // 2**20} MiB, the limit for a JSON document"
        )
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not a JSON document: not UTF-8 text ({exc})") from None
    try:
        return parse_json(text, name)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not a JSON document: {exc}") from None


def last_per_id(lines: Iterable[Located]) -> dict[str, Located]:
    """Each id's last line: a resumed or repeated batch appends, and its latest word on
    an id is the one that counts. Every line must be an object with an "id"."""
    latest: dict[str, Located] = {}
    for where, line in lines:
        latest[line_id(line, where)] = (where, line)
    return latest


def line_id(line: Any, where: str) -> str:
    """The id of a batch-output or gold line, which must be an object with an "id"."""
    if not isinstance(line, dict) or line.get("id") is None:
        raise InputError(f'{where}: a line needs an object with an "id"')
    return str(line["id"])


def latest_lines(file: Path) -> dict[str, Located]:
    """`last_per_id` of a file's lines."""
    return last_per_id(json_lines(file))


class _LongInteger(ValueError):
    """Raised inside json.loads by `_bounded_int`; turned into one line above."""


def _bounded_int(digits: str) -> int:
    if len(digits) - digits.startswith("-") > MAX_JSON_INT_DIGITS:
        raise _LongInteger(digits[:20])
    return int(digits)
