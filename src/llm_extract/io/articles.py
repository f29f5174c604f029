"""Reading articles from files and stdin with the checks a user needs before any model
call: a missing path, a folder, a FIFO or device, an oversized or binary file, a closed
stdin each get a clear error; and the ids of a batch's files, unique by construction.
A saved web page (.html, .htm) is read as its main text, with what the page says about
its source (io/html.py)."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.io.files import open_regular
from llm_extract.io.html import PAGE_MAX_BYTES, is_page, page_source_of, read_page
from llm_extract.text.article import decode_article

BYTES_PER_CHAR_LIMIT = 4  # UTF-8 never needs more, so larger files are rejected unread
ARTICLE_HINT = "give an article file ('-' reads standard input, 'batch' reads a folder)"
ARTICLE_PATTERNS = ("*.txt", "*.html", "*.htm")


def read_source(path: str | Path, *, max_chars: int, encoding: str | None = None) -> str:
    """Text of `path` ('-' for stdin), decoded and refused if it is not usable text; of
    a saved page, its main text."""
    return read_with_source(path, max_chars=max_chars, encoding=encoding)[0]


def read_with_source(
    path: str | Path, *, max_chars: int, encoding: str | None = None
) -> tuple[str, ArticleSource | None]:
    """`read_source`, and where the article came from when the file says (a saved
    page's title, outlet, URL and date); None for plain text."""
    max_bytes = max_chars * BYTES_PER_CHAR_LIMIT
    if str(path) == "-":
        name = "standard input"
        data = _read_stdin(max_bytes)
    elif is_page(str(path)):
        page = read_page(_read_page_file(Path(path)), name=str(path), encoding=encoding)
        return page.text, page.source
    else:
        name = str(path)
        data = _read_file(Path(path), name, max_bytes, _too_large(name, max_chars))
    if len(data) > max_bytes:
        raise _too_large(name, max_chars)
    return decode_article(data, name=name, encoding=encoding), None


def page_metadata(path: Path, *, encoding: str | None = None) -> ArticleSource | None:
    """What a saved page says of its source (title, outlet, URL, date), without its main
    text; None for other files or any reading problem (reading the article later
    reports that problem in full)."""
    if not is_page(str(path)):
        return None
    try:
        return page_source_of(_read_page_file(path), name=str(path), encoding=encoding)
    except InputError:
        return None


def _too_large(name: str, max_chars: int) -> InputError:
    return InputError(
        f"{name} is larger than {max_chars * BYTES_PER_CHAR_LIMIT:,} bytes, over the limit of "
        f"{max_chars:,} characters; split the article or raise --max-chars"
    )


def _read_page_file(path: Path) -> bytes:
    """A page may be far larger than its article (scripts, inline images): its own
    limit; the main text is held to --max-chars with every article."""
    name = str(path)
    error = InputError(f"{name} is larger than {PAGE_MAX_BYTES:,} bytes, the limit for a page")
    data = _read_file(path, name, PAGE_MAX_BYTES, error)
    if len(data) > PAGE_MAX_BYTES:
        raise error
    return data


def _read_file(path: Path, name: str, max_bytes: int, too_large: InputError) -> bytes:
    """At most one byte over the limit of a regular file (a FIFO or device is refused
    before it is opened, so nothing blocks or reads forever)."""
    fd = open_regular(path, name, hint=ARTICLE_HINT)
    try:
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise too_large  # unread
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
    """A folder's *.txt, *.html and *.htm files in name order (not its sub-folders), or
    the path itself."""
    if path.is_dir():
        found = {file for pattern in ARTICLE_PATTERNS for file in path.glob(pattern)}
        return sorted(file for file in found if not file.is_dir())
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
