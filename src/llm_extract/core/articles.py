"""One article as the pipeline is given it: its text and what travels with the text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Article:
    """The text exactly as given (offsets in a verification report index it), the id
    its result carries (default: the first 16 hex digits of the checked text's sha256),
    the name messages call it by (a path, "standard input"), and its publication
    date, which anchors relative dates ("on Sunday")."""

    text: str
    id: str | None = None
    name: str = "input"
    published: date | None = None
