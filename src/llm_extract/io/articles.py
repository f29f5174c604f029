"""Reading articles from files and stdin with the checks a user needs before any model
call: a missing path, a folder, a FIFO or device, an oversized or binary file, a closed
stdin each get a clear error; and the ids of a batch's files, unique by construction."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from llm_extract.core.errors import InputError
from llm_extract.io.files import open_regular
from llm_extract.text.article import decode_article

BYTES_PER_CHAR_LIMIT = 4  # UTF-8 never needs more, so larger files are rejected unread
ARTICLE_HINT = "give an article file ('-' reads standard input, 'batch' reads a folder)"


def read_source(path: str | Path, *, max_chars: int, encoding: str | None = None) -> str:
    """Text of `path` ('-' for stdin), decoded and refused if it is not usable text."""
    max_bytes = max_chars * BYTES_PER_CHAR_LIMIT
    if str(path) == "-":
        name = "standard input"
        data = _read_stdin(max_bytes)
    else:
        name = str(path)
        data = _read_file(Path(path), name, max_chars)
    if len(data) > max_bytes:
        raise _too_large(name, max_chars)
    return decode_article(data, name=name, encoding=encoding)


def _too_large(name: str, max_chars: int) -> InputError:
    return InputError(
        f"{name} is larger than {max_chars * BYTES_PER_CHAR_LIMIT:,} bytes, over the limit of "
        f"{max_chars:,} characters; split the article or raise --max-chars"
    )


def _read_file(path: Path, name: str, max_chars: int) -> bytes:
    """At most one byte over the limit of a regular file (a FIFO or device is refused
    before it is opened, so nothing blocks or reads forever)."""
    max_bytes = max_chars * BYTES_PER_CHAR_LIMIT
    fd = open_regular(path, name, hint=ARTICLE_HINT)
    try:
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise _too_large(name, max_chars)  # unread
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None


def _read_stdin(max_bytes: int) -> bytes:
    """Standard input, bounded; closed (`<&-`) or unreadable is one line, not a crash."""
    stream = sys.stdin
    if stream is None:  # Python found no descriptor 0 when it started
        raise InputError("standard input is closed: pipe an article into '-', or give a file")
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            return stream.read(max_bytes + 1).encode("utf-8")
        return buffer.read(max_bytes + 1)
    except (OSError, ValueError) as exc:  # ValueError: a closed file object
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read standard input: {reason}") from None


def article_files(path: Path) -> list[Path]:
    """A folder's *.txt files in name order (not its sub-folders), or the path itself."""
    if path.is_dir():
        return sorted(file for file in path.glob("*.txt") if not file.is_dir())
    return [path]


def article_ids(files: Iterable[Path]) -> list[tuple[str, Path]]:
    """Each distinct file once, with a unique id: its stem, as long as no other file of
    the batch has that stem; files that share one (a/x.txt, b/x.txt) are named by their
    path from the folder they have in common ("a/x", "b/x"), so no result shadows
    another. A file given twice (a folder and a file in it) is one article."""
    seen: set[Path] = set()
    distinct: list[Path] = []
    for file in files:
        if (key := file.resolve()) not in seen:
            seen.add(key)
            distinct.append(file)
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for file in distinct:
        by_stem[file.stem].append(file)
    ids: dict[Path, str] = {}
    for stem, group in by_stem.items():
        ids.update({group[0]: stem} if len(group) == 1 else _relative_ids(group))
    named = [(ids[file], file) for file in distinct]
    _refuse_repeats(named)
    return named


def _relative_ids(group: list[Path]) -> dict[Path, str]:
    """Paths from the group's common folder, without the suffix unless it is needed."""
    absolute = [Path(os.path.abspath(file)) for file in group]
    root = os.path.commonpath([file.parent for file in absolute])
    relative = [file.relative_to(root) for file in absolute]
    short = [path.with_suffix("").as_posix() for path in relative]
    return {
        file: (long.as_posix() if short.count(name) > 1 else name)
        for file, long, name in zip(group, relative, short, strict=True)
    }


def _refuse_repeats(named: list[tuple[str, Path]]) -> None:
    """The last safety net: two files under one id would overwrite each other."""
    first: dict[str, Path] = {}
    for item_id, file in named:
        if item_id in first:
            raise InputError(
                f"{first[item_id]} and {file} would both get the id {item_id!r}; rename one"
            )
        first[item_id] = file
