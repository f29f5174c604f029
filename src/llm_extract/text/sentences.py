"""Where sentences end: one definition for every reader (grounding, instruction text,
the extractor's incidents). A full stop ends a sentence unless it ends an abbreviation
or an initial ("8 a.m. Thursday", "Lt. Col. X", "J. Smith"): a split there cuts a
clause from its verb."""

from __future__ import annotations

import re
from functools import lru_cache

_BREAK = re.compile(r"(?<=[.!?])\s+|\n")
_ABBREVIATIONS = frozenset(
    w.lower()
    for w in (
        "a.m.", "p.m.", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Capt.", "Sgt.",
        "Maj.", "Cpl.", "Gov.", "Sen.", "Rev.", "St.", "Mt.", "No.", "Jan.", "Feb.", "Aug.",
        "Sept.", "Oct.", "Nov.", "Dec.", "U.S.", "U.N.",
    )
)  # fmt: skip
_LAST_WORD = re.compile(r"\S+$")
_WRAPPED = re.compile(r"[a-z,\u00e0-\u00ff]\n[a-z\u00e0-\u00ff]")


@lru_cache(maxsize=64)
def sentence_breaks(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every sentence break: the whitespace after a sentence's last
    character, or a line break."""
    breaks = []
    for m in _BREAK.finditer(text):
        if m.group() == "\n" and _WRAPPED.match(text, max(0, m.start() - 1)):
            continue  # a line wrapped mid-sentence: "took place in a\nvillage called X"
        if text[m.start()] != "\n" and not text[m.start() : m.end()].count("\n"):
            word = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
            token = word.group() if word else ""
            if token.lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", token):
                continue
        breaks.append(m.span())
    return tuple(breaks)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence (or line) that holds any text."""
    spans, start = [], 0
    for a, b in sentence_breaks(text):
        spans.append((start, a))
        start = b
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]
