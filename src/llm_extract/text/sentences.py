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


_CAP_START = re.compile(r"[A-ZÀ-ÖØ-Þ]")


def title_cased(text: str, start: int) -> bool:
    """Whether `start` stands in a headline or heading written in title case, where
    every word is capitalised ("Seven Towns Hit in Cross-Region Offensive", "Border
    Security at Risk: ..."): there capitals say nothing."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", start)
    return left + _title_part(text[left : right if right >= 0 else len(text)]) >= start


@lru_cache(maxsize=4096)
def _title_part(line: str) -> int:
    """How much of a line is title case: all of it, its heading before a colon or full
    stop, or -1 for none. Cached: the place and actor readers ask it of every name."""
    heading = re.split(r"[:.!?]\s", line, maxsplit=1)[0]
    for part in (line, heading) if len(heading) < len(line) else (line,):
        long_words = [w for w in part.split() if len(w) > 3]
        capitals = sum(bool(_CAP_START.match(w)) for w in long_words)
        if len(long_words) >= 3 and capitals >= 0.7 * len(long_words):
            return len(part)
    return -1
