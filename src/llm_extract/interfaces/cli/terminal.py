"""What the commands print is safe for a terminal: record values, ids and paths come
from articles and files anyone can write, and a control sequence in them could retitle
the terminal, hide text or reorder a line (bidirectional overrides). Such characters
are printed as visible escapes (\\x1b, \\u202e); JSON output escapes them the JSON
way, so it stays the same data."""

from __future__ import annotations

import re

import click

# C0 and C1 controls (tab and newline are handled by the callers), DEL, and the
# invisible bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile(f"[\n\t{_UNSAFE.pattern[1:-1]}]")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` on one line, every unsafe character (newlines too) shown as an escape."""
    return _UNSAFE_OR_BREAK.sub(_escape, str(text))


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo for text of several lines: unsafe characters escaped, lines kept."""
    click.echo(_UNSAFE.sub(_escape, text), err=err, nl=nl)


def json_safe(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw under ensure_ascii=False
    (C1 controls, bidirectional controls) written as \\u escapes: the same data."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
