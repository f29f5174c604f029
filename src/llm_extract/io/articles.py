"""Reading articles from files and stdin with the checks a user needs before any model
call: a missing path, a folder, an oversized or binary file each get a clear error."""

from __future__ import annotations

import sys
from pathlib import Path

from llm_extract.core.errors import InputError
from llm_extract.text.article import decode_article

BYTES_PER_CHAR_LIMIT = 4  # UTF-8 never needs more, so larger files are rejected unread


def read_source(path: str | Path, *, max_chars: int, encoding: str | None = None) -> str:
    """Text of `path` ('-' for stdin), decoded and refused if it is not usable text."""
    max_bytes = max_chars * BYTES_PER_CHAR_LIMIT
    if str(path) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "standard input"
    else:
        p = Path(path)
        name = str(p)
        if p.is_dir():
            raise InputError(f"{name} is a directory; give an article file (or use 'batch')")
        if not p.exists():
            raise InputError(f"{name}: no such file")
        try:
            with p.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(
            f"{name} is larger than {max_bytes:,} bytes, over the limit of {max_chars:,} "
            "characters; split the article or raise --max-chars"
        )
    return decode_article(data, name=name, encoding=encoding)


def article_files(path: Path) -> list[Path]:
    """A folder's *.txt files in name order (the file stem is the article id), or the path."""
    return sorted(path.glob("*.txt")) if path.is_dir() else [path]
