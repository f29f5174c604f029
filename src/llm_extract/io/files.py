"""Which paths may be opened as files. A FIFO blocks an open or a read until someone
writes to it, a device never ends (/dev/zero) or refuses every write (/dev/full), so
whatever reads or appends to a path takes regular files only and says so in one line,
before it opens anything that could block."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from llm_extract.core.errors import InputError

_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words for an error message."""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def status(path: Path, name: str) -> os.stat_result | None:
    """The path's status (symlinks followed), None when nothing is there."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot open {name}: {exc.strerror or exc}") from None


def require_regular(info: os.stat_result, name: str, hint: str) -> None:
    """Refuse anything but a regular file, naming what it is and what to do instead."""
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name} is {kind_of(info.st_mode)}, not a regular file; {hint}")


def open_regular(path: Path, name: str, *, hint: str, flags: int = os.O_RDONLY) -> int:
    """A descriptor of `path`, which must be a regular file. O_NONBLOCK and a second
    check on the open descriptor make a FIFO swapped in between fail instead of hang."""
    info = status(path, name)
    if info is None and not flags & os.O_CREAT:
        raise InputError(f"{name}: no such file")
    if info is not None:
        require_regular(info, name, hint)
    try:
        fd = os.open(path, flags | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise InputError(f"cannot open {name}: {exc.strerror or exc}") from None
    try:
        require_regular(os.fstat(fd), name, hint)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd
